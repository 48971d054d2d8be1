// SPDX-License-Identifier: MIT
// The application a minios image runs after boot: one per image (apps/*.cpp).
#pragma once

#include "abi/start_info.hpp"

namespace minios {

/// The application's name, for the console.
const char* app_name();
/// Run it; 0 means success (the domain powers off), anything else crashes the domain.
int app_main(const abi::StartInfo& info);

}  // namespace minios
