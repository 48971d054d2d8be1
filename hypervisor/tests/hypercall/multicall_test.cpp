// SPDX-License-Identifier: MIT
// Tests of the multicall loop and the continuation slot: a script stands in for the dispatch table.
//
// The image's dispatch table (hypercall/dispatch.cpp) calls every handler; here
// run_nested_hypercall is defined by this file and answers from a script instead, turning
// a handler's continue_later into a NestedCall exactly as the dispatcher does. The guest's
// list lives in tests/fakes/guest_memory. A test makes the multicall as the guest's
// SYSCALL would, and makes it again with the continuation's arguments for as long as it
// asks to be continued, as the guest does when the dispatcher rewinds it.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "abi/hypercall.hpp"
#include "abi/layout.hpp"
#include "abi/xen.hpp"
#include "core/domain.hpp"
#include "hypercall/hypercall.hpp"
#include "tests/fakes/guest_memory.hpp"

namespace {

using abi::MulticallEntry;
using hv::HypercallArgs;
using hv::HypercallResult;

constexpr uint64_t kListBase = 0x40'0000;
constexpr uint64_t kNotRun = 0xdead'beef'dead'beef;  // a result the script never gives

// The script, by real hypercall numbers (the multicall must recognise iret):
constexpr uint64_t kDouble = 17;    // answers twice its first argument
constexpr uint64_t kBatch = 1;      // args {next request, remaining}: 256 a call, then continue_later
constexpr uint64_t kSchedOp = 29;   // arg 1 blocks the vCPU, arg 2 shuts the domain down
constexpr uint64_t kIret = 23;      // answers kIretRax, the RAX of its frame
constexpr uint64_t kIretRax = 0x1'8000'0005;
constexpr uint64_t kSlice = 256;

struct NestedRecord {
    uint64_t number;
    HypercallArgs args;
};
std::vector<NestedRecord> nested_calls;  // every entry run, in order
uint64_t batch_requests_done = 0;

HypercallResult run_script(hv::Domain& caller, uint64_t number, const HypercallArgs& args) {
    switch (number) {
    case kDouble: return args.arg1 * 2;
    case kBatch: {
        const uint64_t now = std::min(args.arg2, kSlice);
        batch_requests_done += now;
        if (now < args.arg2)
            return hv::continue_later({args.arg1 + now, args.arg2 - now, args.arg3, args.arg4, args.arg5});
        return uint64_t{0};
    }
    case kSchedOp:
        if (args.arg1 == 1) caller.vcpu.blocked = true;
        if (args.arg1 == 2) caller.state = hv::DomainState::Shutdown;
        return uint64_t{0};
    case kIret: return kIretRax;
    default: return lib::error(abi::Errno::NoSys, "not in the script");
    }
}

/// A domain, and its list of entries in the fake guest memory at kListBase.
struct Guest {
    hv::Domain* domain = hv::allocate_domain(hv::DomId(7), "multicall", hv::Roles{});

    explicit Guest(size_t entries = 0) { place_list(entries); }
    ~Guest() {
        hv::free_domain(*domain);
        fakes::guest_memory = {};
        nested_calls.clear();
        batch_requests_done = 0;
    }

    /// Give the guest room for `entries` entries at kListBase, each unrun.
    void place_list(size_t entries) {
        fakes::guest_memory = {kListBase, std::vector<uint8_t>(entries * sizeof(MulticallEntry)), true};
        for (size_t i = 0; i < entries; ++i) set_entry(i, kDouble, {i, 0, 0, 0, 0});
    }
    void set_entry(size_t index, uint64_t op, const HypercallArgs& args) {
        MulticallEntry entry{op, kNotRun, {args.arg1, args.arg2, args.arg3, args.arg4, args.arg5, 0x66}};
        std::memcpy(&fakes::guest_memory.bytes[index * sizeof entry], &entry, sizeof entry);
    }
    MulticallEntry entry(size_t index) const {
        MulticallEntry entry;
        std::memcpy(&entry, &fakes::guest_memory.bytes[index * sizeof entry], sizeof entry);
        return entry;
    }

    /// One SYSCALL: the multicall's result, and the arguments it asked to be made again
    /// with (checked to be there exactly when it returns -ERESTART).
    struct Call {
        HypercallResult result;
        std::optional<HypercallArgs> continuation;
    };
    Call call(const HypercallArgs& args) {
        HypercallResult result = hv::do_multicall(*domain, args);
        std::optional<HypercallArgs> rest = hv::continuation_of(result);
        CHECK(rest.has_value() == (result.is_error() && result.error_code() == abi::Errno::Restart));
        return {result, rest};
    }

    /// The SYSCALL and every continuation of it: the final result, and the arguments of
    /// each continuation in turn.
    struct Run {
        HypercallResult result;
        std::vector<HypercallArgs> continuations;
    };
    Run run(HypercallArgs args) {
        std::vector<HypercallArgs> continuations;
        for (;;) {
            Call made = call(args);
            if (!made.continuation) return {made.result, continuations};
            args = *made.continuation;
            continuations.push_back(args);
            REQUIRE(continuations.size() < 100);
        }
    }
};

bool same(const HypercallArgs& a, const HypercallArgs& b) {
    return a.arg1 == b.arg1 && a.arg2 == b.arg2 && a.arg3 == b.arg3 && a.arg4 == b.arg4 && a.arg5 == b.arg5;
}

uint64_t entry_at(size_t index) { return kListBase + index * sizeof(MulticallEntry); }

}  // namespace

/// The stand-in for the dispatch table, as dispatch.cpp turns a handler's answer into an entry's.
hv::NestedCall hv::run_nested_hypercall(Domain& caller, uint64_t number, const HypercallArgs& args) {
    nested_calls.push_back({number, args});
    HypercallResult result = run_script(caller, number, args);
    if (std::optional<HypercallArgs> rest = continuation_of(result)) return {number, rest};
    if (result.is_error()) return {static_cast<uint64_t>(-static_cast<int64_t>(result.error_code())), std::nullopt};
    return {result.value(), std::nullopt};
}

TEST_CASE("continuation_of gives continue_later's arguments once, and nothing for any other result") {
    const HypercallArgs rest{1, 2, 3, 4, 5};
    HypercallResult continued = hv::continue_later(rest);
    std::optional<HypercallArgs> taken = hv::continuation_of(continued);
    REQUIRE(taken.has_value());
    CHECK(same(*taken, rest));
    CHECK_FALSE(hv::continuation_of(continued).has_value());
    CHECK_FALSE(hv::continuation_of(HypercallResult(uint64_t{0})).has_value());
    CHECK_FALSE(hv::continuation_of(HypercallResult(lib::error(abi::Errno::Inval, "refused"))).has_value());
}

TEST_CASE_FIXTURE(Guest, "a list of 600 entries runs 256 per call, continued at the first entry not run") {
    place_list(600);
    const HypercallArgs args{kListBase, 600, 0x33, 0x44, 0x55};
    Call first = call(args);
    REQUIRE(first.continuation.has_value());
    // The list pointer and count move on; the other registers stay as the guest set them.
    CHECK(same(*first.continuation, {entry_at(256), 600 - 256, 0x33, 0x44, 0x55}));
    CHECK(nested_calls.size() == 256);
    CHECK(entry(255).result == 2 * 255);
    CHECK(entry(256).result == kNotRun);

    Run rest = run(*first.continuation);
    REQUIRE_FALSE(rest.result.is_error());
    CHECK(rest.result.value() == 0);
    REQUIRE(rest.continuations.size() == 1);
    CHECK(same(rest.continuations[0], {entry_at(512), 600 - 512, 0x33, 0x44, 0x55}));
    // Every entry ran exactly once, in order, with its own arguments.
    REQUIRE(nested_calls.size() == 600);
    for (uint64_t i = 0; i < 600; ++i) {
        CAPTURE(i);
        CHECK(nested_calls[i].args.arg1 == i);
        CHECK(entry(i).result == 2 * i);
    }
}

TEST_CASE_FIXTURE(Guest, "an entry that stops part-way keeps its continuation in the list, and the list resumes there") {
    place_list(3);
    set_entry(0, kDouble, {5, 0, 0, 0, 0});
    set_entry(1, kBatch, {0, 600, 0x1234, 0x7ff0, 0x99});
    set_entry(2, kDouble, {6, 0, 0, 0, 0});
    Call first = call({kListBase, 3, 0, 0, 0});
    REQUIRE(first.continuation.has_value());
    CHECK(same(*first.continuation, {entry_at(1), 2, 0, 0, 0}));
    // Xen's layout of a continued entry: the op, the op's number as its result, the rest's
    // arguments; args[5], which no call takes, as the guest wrote it.
    const MulticallEntry continued = entry(1);
    CHECK(continued.op == kBatch);
    CHECK(continued.result == kBatch);
    CHECK(continued.args[0] == 256);
    CHECK(continued.args[1] == 600 - 256);
    CHECK(continued.args[2] == 0x1234);
    CHECK(continued.args[3] == 0x7ff0);
    CHECK(continued.args[4] == 0x99);
    CHECK(continued.args[5] == 0x66);
    CHECK(entry(0).result == 10);
    CHECK(entry(2).result == kNotRun);

    Run rest = run(*first.continuation);
    REQUIRE_FALSE(rest.result.is_error());
    CHECK(rest.result.value() == 0);
    // The batch went on where it stopped, twice, always at entry 1.
    REQUIRE(rest.continuations.size() == 1);
    CHECK(same(rest.continuations[0], {entry_at(1), 2, 0, 0, 0}));
    CHECK(batch_requests_done == 600);
    CHECK(entry(1).result == 0);
    CHECK(entry(2).result == 12);
    const auto doubles = [](const NestedRecord& record) { return record.number == kDouble; };
    CHECK(std::count_if(nested_calls.begin(), nested_calls.end(), doubles) == 2);
}

TEST_CASE_FIXTURE(Guest, "a list that starts outside guest space is EFAULT, even an empty one") {
    place_list(1);
    for (const uint64_t start : {abi::kHypervisorVirtStart, uint64_t{1} << 47, abi::kHypervisorVirtEnd - 64}) {
        CAPTURE(start);
        for (const uint64_t count : {uint64_t{0}, uint64_t{1}}) {
            Call made = call({start, count, 0, 0, 0});
            REQUIRE(made.result.is_error());
            CHECK(made.result.error_code() == abi::Errno::Fault);
        }
    }
    CHECK(nested_calls.empty());
    Call empty = call({kListBase, 0, 0, 0, 0});
    REQUIRE_FALSE(empty.result.is_error());
    CHECK(empty.result.value() == 0);
}

TEST_CASE_FIXTURE(Guest, "an entry that cannot be read is EFAULT, after the entries before it ran") {
    place_list(2);
    Call made = call({kListBase, 3, 0, 0, 0});
    REQUIRE(made.result.is_error());
    CHECK(made.result.error_code() == abi::Errno::Fault);
    CHECK(nested_calls.size() == 2);
    CHECK(entry(1).result == 2);
}

TEST_CASE_FIXTURE(Guest, "a result that cannot be written back is EFAULT, and no later entry runs") {
    place_list(2);
    fakes::guest_memory.writable = false;
    Call made = call({kListBase, 2, 0, 0, 0});
    REQUIRE(made.result.is_error());
    CHECK(made.result.error_code() == abi::Errno::Fault);
    CHECK(nested_calls.size() == 1);
}

TEST_CASE_FIXTURE(Guest, "an iret ends the list, and the multicall returns its RAX cut to a sign-extended int") {
    place_list(3);
    set_entry(1, kIret, {0, 0, 0, 0, 0});
    Call made = call({kListBase, 3, 0, 0, 0});
    REQUIRE_FALSE(made.result.is_error());
    CHECK(made.result.value() == 0xffff'ffff'8000'0005);
    CHECK(entry(1).result == kIretRax);
    CHECK(entry(2).result == kNotRun);
    CHECK(nested_calls.size() == 2);
}

TEST_CASE_FIXTURE(Guest, "after the domain shut down no entry runs") {
    place_list(3);
    set_entry(1, kSchedOp, {2, 0, 0, 0, 0});
    Call made = call({kListBase, 3, 0, 0, 0});
    REQUIRE_FALSE(made.result.is_error());
    CHECK(made.result.value() == 0);
    CHECK(nested_calls.size() == 2);
    CHECK(entry(2).result == kNotRun);
}

TEST_CASE_FIXTURE(Guest, "a vCPU that blocked runs the rest of its list when it wakes") {
    place_list(3);
    set_entry(1, kSchedOp, {1, 0, 0, 0, 0});
    Call made = call({kListBase, 3, 0, 0, 0});
    REQUIRE(made.continuation.has_value());
    CHECK(same(*made.continuation, {entry_at(2), 1, 0, 0, 0}));
    CHECK(entry(2).result == kNotRun);
    domain->vcpu.blocked = false;  // an event woke it; it makes the call again
    Run rest = run(*made.continuation);
    REQUIRE_FALSE(rest.result.is_error());
    CHECK(entry(2).result == 4);
    // Blocking in the last entry leaves nothing to continue.
    domain->vcpu.blocked = false;
    set_entry(1, kDouble, {1, 0, 0, 0, 0});
    set_entry(2, kSchedOp, {1, 0, 0, 0, 0});
    Call last = call({kListBase, 3, 0, 0, 0});
    CHECK_FALSE(last.continuation.has_value());
    CHECK(domain->vcpu.blocked);
}

TEST_CASE_FIXTURE(Guest, "the count is Xen's uint32_t: the register's upper half is not read") {
    place_list(3);
    Call made = call({kListBase, (uint64_t{1} << 32) | 2, 0, 0, 0});
    REQUIRE_FALSE(made.result.is_error());
    CHECK(nested_calls.size() == 2);
    CHECK(entry(2).result == kNotRun);
}
