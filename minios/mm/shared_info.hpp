// SPDX-License-Identifier: MIT
// Mapping shared_info, the page Xen shares with the domain (events, vCPU state, time).
#pragma once

#include "abi/shared_info.hpp"
#include "abi/start_info.hpp"
#include "lib/error_or.hpp"

namespace minios::mm {

/// Map start_info.shared_info at kSharedInfoAddress and return it.
/// @pre the loaded tables have an L1 for the fixmap (PageTableBuilder::reserve)
/// @retval Errno::Inval if they do not (update_va_mapping needs a present L2 entry).
lib::ErrorOr<const abi::SharedInfo*> map_shared_info(const abi::StartInfo& info);

}  // namespace minios::mm
