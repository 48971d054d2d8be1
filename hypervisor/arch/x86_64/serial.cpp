// SPDX-License-Identifier: MIT
// The 16550 UART driver: polled output, polled input. Register offsets and bits are the
// 16550D data sheet's (National Semiconductor, "PC16550D UART", table II).
#include "arch/x86_64/serial.hpp"

#include "arch/x86_64/cpu.hpp"

namespace arch {
namespace {

constexpr uint16_t kCom1 = 0x3f8;
constexpr uint16_t kData = 0;          // THR/RBR; with DLAB=1 the divisor's low byte
constexpr uint16_t kInterruptEnable = 1;  // IER; with DLAB=1 the divisor's high byte
constexpr uint16_t kFifoControl = 2;   // FCR
constexpr uint16_t kLineControl = 3;   // LCR
constexpr uint16_t kModemControl = 4;  // MCR
constexpr uint16_t kLineStatus = 5;    // LSR

constexpr uint8_t kLcrDivisorLatch = 0x80;   // DLAB
constexpr uint8_t kLcr8N1 = 0x03;            // 8 data bits, no parity, 1 stop bit
constexpr uint8_t kFcrEnableAndClear = 0x07; // enable FIFOs, clear both
constexpr uint8_t kMcrDtrRtsOut2 = 0x0b;
constexpr uint8_t kLsrDataReady = 0x01;
constexpr uint8_t kLsrTransmitterEmpty = 0x20;  // THRE
constexpr uint16_t kDivisor115200 = 1;          // 115200 = 1.8432 MHz / (16 * 1)

}  // namespace

void serial_init() {
    outb(kCom1 + kInterruptEnable, 0);
    outb(kCom1 + kLineControl, kLcrDivisorLatch);
    outb(kCom1 + kData, kDivisor115200 & 0xff);
    outb(kCom1 + kInterruptEnable, kDivisor115200 >> 8);
    outb(kCom1 + kLineControl, kLcr8N1);
    outb(kCom1 + kFifoControl, kFcrEnableAndClear);
    outb(kCom1 + kModemControl, kMcrDtrRtsOut2);
}

void serial_put(char c) {
    while ((inb(kCom1 + kLineStatus) & kLsrTransmitterEmpty) == 0) pause();
    outb(kCom1 + kData, static_cast<uint8_t>(c));
}

int serial_try_get() {
    if ((inb(kCom1 + kLineStatus) & kLsrDataReady) == 0) return -1;
    return inb(kCom1 + kData);
}

}  // namespace arch
