# SPDX-License-Identifier: MIT
# Flags for freestanding kernel code (hypervisor and minios), built by the host compiler.
# STYLE.md explains each choice: no exceptions/RTTI, no red zone (interrupts reuse the
# stack), no SSE (the hypervisor never saves its own vector registers).
set(XENOLITH_KERNEL_CXX_FLAGS
    -ffreestanding -fno-exceptions -fno-rtti -fno-threadsafe-statics -fno-use-cxa-atexit
    -mno-red-zone -mno-sse -mno-sse2 -mno-mmx -nostdlib
    # No x87 either (GCC only: clang then refuses libstdc++'s long double code in headers).
    $<$<CXX_COMPILER_ID:GNU>:-mno-80387> -fno-stack-protector
    -fno-builtin -fno-omit-frame-pointer
    # GCC turns copy loops into memcpy calls, which would recurse inside memcpy itself.
    $<$<CXX_COMPILER_ID:GNU>:-fno-tree-loop-distribute-patterns>
    -fno-asynchronous-unwind-tables -fno-unwind-tables -fcf-protection=none
    -Wall -Wextra -Werror -Wno-missing-field-initializers
    # Always optimised, always with symbols: guests run under TCG, where -O0 code is
    # several times slower, and gdb reads -O2 -g well enough to step through the boot.
    -O2 -g)

# Settings for every kernel object library or executable.
function(xenolith_kernel_target target)
    target_compile_options(${target} PRIVATE
        $<$<COMPILE_LANGUAGE:CXX>:${XENOLITH_KERNEL_CXX_FLAGS}>
        $<$<COMPILE_LANGUAGE:ASM>:-Wa,--noexecstack>)
    target_compile_definitions(${target} PRIVATE XENOLITH_KERNEL=1)
    set_target_properties(${target} PROPERTIES POSITION_INDEPENDENT_CODE OFF)
endfunction()
