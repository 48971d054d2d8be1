# SPDX-License-Identifier: MIT
# Host unit tests: the same pure sources as the images, compiled for Linux under
# AddressSanitizer and UndefinedBehaviorSanitizer, run by doctest (Debian doctest-dev).
find_path(DOCTEST_INCLUDE_DIR doctest/doctest.h REQUIRED)

set(XENOLITH_SANITIZE_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)

function(xenolith_host_test target)
    target_compile_options(${target} PRIVATE ${XENOLITH_SANITIZE_FLAGS} -Wall -Wextra -Werror
        -Wno-missing-field-initializers -g)
    target_link_options(${target} PRIVATE ${XENOLITH_SANITIZE_FLAGS})
    target_include_directories(${target} SYSTEM PRIVATE ${DOCTEST_INCLUDE_DIR})
    add_test(NAME ${target} COMMAND ${target})
    set_tests_properties(${target} PROPERTIES LABELS host
        ENVIRONMENT "UBSAN_OPTIONS=print_stacktrace=1;ASAN_OPTIONS=detect_leaks=1")
endfunction()
