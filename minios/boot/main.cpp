// SPDX-License-Identifier: MIT
// minios_main: the guest kernel's boot story. Everything a PV kernel knows at entry is
// in start_info; we print it, check it, run the application, and power off.
#include "abi/start_info.hpp"
#include "apps/app.hpp"
#include "kernel/console.hpp"
#include "kernel/shutdown.hpp"
#include "kernel/start_of_day.hpp"

extern "C" void (*__init_array_start[])();
extern "C" void (*__init_array_end[])();

extern "C" [[noreturn]] void minios_main(const abi::StartInfo* info) {
    // C++ objects with constructors first (the console's line buffer has a vtable).
    for (auto* constructor = __init_array_start; constructor != __init_array_end; ++constructor) (*constructor)();
    minios::printk("minios: booting\n");
    minios::print_start_of_day(*info);
    if (!minios::check_start_of_day(*info)) minios::shutdown(abi::ShutdownReason::Crash);
    int status = minios::app_main(*info);
    minios::printk("minios: {} finished with status {}, powering off\n", minios::app_name(), status);
    minios::shutdown(status == 0 ? abi::ShutdownReason::Poweroff : abi::ShutdownReason::Crash);
}
