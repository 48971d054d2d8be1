set(HV_TEST_ABI_SOURCES abi/abi_conformance.cpp)
