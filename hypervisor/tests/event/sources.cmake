# SPDX-License-Identifier: MIT
# Host tests of hypervisor/event.
set(HV_TEST_EVENT_SOURCES event/two_level_test.cpp event/bind_test.cpp event/channel_ops_test.cpp
    event/hostile_ports_test.cpp event/hypervisor_port_test.cpp)
