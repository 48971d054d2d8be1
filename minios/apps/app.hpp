// SPDX-License-Identifier: MIT
// The application a minios image runs after boot: one per image (apps/*.cpp).
#pragma once

#include "abi/errno.hpp"
#include "abi/start_info.hpp"
#include "kernel/console.hpp"
#include "lib/error_or.hpp"

namespace minios {

/// The application's name, for the console.
const char* app_name();
/// Run it; 0 means success (the domain powers off), anything else crashes the domain.
int app_main(const abi::StartInfo& info);

/// Say why the application stops: `<app>: <what>: <errno> (<reason>)`. Returns 1, the
/// exit status of an application that failed.
inline int report_failure(const char* what, const lib::Error& error) {
    printk("{}: {}: {} ({})\n", app_name(), what, abi::errno_name(error.code),
           error.reason != nullptr ? error.reason : "refused by the hypervisor");
    return 1;
}

}  // namespace minios
