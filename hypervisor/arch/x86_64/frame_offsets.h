/* SPDX-License-Identifier: MIT */
/* Offsets into the saved-register frame, for entry.S. C++ sees the same layout as
 * arch::CpuUserRegs (frame.hpp), which static_asserts every number below. The order is
 * Xen's struct cpu_user_regs (public/arch-x86/xen-x86_64.h) up to ss. */
#pragma once

#define FRAME_R15           0
#define FRAME_RAX           80
#define FRAME_RCX           88
#define FRAME_RDI           112
#define FRAME_ERROR_CODE    120
#define FRAME_ENTRY_VECTOR  124
#define FRAME_RIP           128
#define FRAME_CS            136
#define FRAME_RFLAGS        144
#define FRAME_RSP           152
#define FRAME_SS            160
#define FRAME_SIZE          168

/* entry_vector of a frame built by the SYSCALL entry rather than by an exception. */
#define ENTRY_VECTOR_SYSCALL 0x100
