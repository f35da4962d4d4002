// Heap allocations made by ParseDatagram and by the typed getters, counted by
// replacing the global operator new / delete. Not a Google Benchmark: it
// prints one table. Allocation counts are exact and repeat from run to run
// (for a given standard library), unlike timings.
//
//   sipbed-bench-alloc-count
//
// The messages are the ones bench/parser-bench.cc times.

#include "bench/sample-messages.h"
#include "models/sip/sip-json.h"
#include "models/sip/sip-message.h"
#include "models/sip/sip-parser.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <sstream>
#include <string>
#include <string_view>

#ifndef SIPBED_SHARED_DIR
#error "SIPBED_SHARED_DIR must name the shared/ folder (bench/CMakeLists.txt defines it)"
#endif

namespace
{

// Plain counters: the program is single-threaded.
size_t g_allocs = 0;
size_t g_bytes = 0;

void*
CountedAlloc(std::size_t size)
{
    ++g_allocs;
    g_bytes += size;
    void* p = std::malloc(size == 0 ? 1 : size);
    if (!p)
    {
        throw std::bad_alloc();
    }
    return p;
}

void*
CountedAlignedAlloc(std::size_t size, std::align_val_t al)
{
    ++g_allocs;
    g_bytes += size;
    std::size_t a = static_cast<std::size_t>(al);
    std::size_t rounded = (size + a - 1) / a * a;
    void* p = std::aligned_alloc(a, rounded == 0 ? a : rounded);
    if (!p)
    {
        throw std::bad_alloc();
    }
    return p;
}

} // namespace

void*
operator new(std::size_t size)
{
    return CountedAlloc(size);
}

void*
operator new[](std::size_t size)
{
    return CountedAlloc(size);
}

void*
operator new(std::size_t size, const std::nothrow_t&) noexcept
{
    ++g_allocs;
    g_bytes += size;
    return std::malloc(size == 0 ? 1 : size);
}

void*
operator new[](std::size_t size, const std::nothrow_t&) noexcept
{
    ++g_allocs;
    g_bytes += size;
    return std::malloc(size == 0 ? 1 : size);
}

void*
operator new(std::size_t size, std::align_val_t al)
{
    return CountedAlignedAlloc(size, al);
}

void*
operator new[](std::size_t size, std::align_val_t al)
{
    return CountedAlignedAlloc(size, al);
}

void
operator delete(void* p) noexcept
{
    std::free(p);
}

void
operator delete[](void* p) noexcept
{
    std::free(p);
}

void
operator delete(void* p, std::size_t) noexcept
{
    std::free(p);
}

void
operator delete[](void* p, std::size_t) noexcept
{
    std::free(p);
}

void
operator delete(void* p, std::align_val_t) noexcept
{
    std::free(p);
}

void
operator delete[](void* p, std::align_val_t) noexcept
{
    std::free(p);
}

void
operator delete(void* p, std::size_t, std::align_val_t) noexcept
{
    std::free(p);
}

void
operator delete[](void* p, std::size_t, std::align_val_t) noexcept
{
    std::free(p);
}

namespace
{

using namespace sipbed;

using namespace sipbed::bench;


struct Count
{
    size_t allocs;
    size_t bytes;
};

// Allocations made by f(), objects it returns included (they are destroyed
// after the count is taken).
template <class F>
Count
Measure(F f)
{
    size_t a0 = g_allocs;
    size_t b0 = g_bytes;
    auto result = f();
    Count c{g_allocs - a0, g_bytes - b0};
    (void)result;
    return c;
}

void
Row(const char* what, Count c)
{
    std::printf("  %-44s %4zu allocations %7zu bytes\n", what, c.allocs, c.bytes);
}

int
Report(const char* name, const std::string& bytes)
{
    std::printf("%s (%zu B)\n", name, bytes.size());
    auto parsed = ParseDatagram(std::string_view(bytes));
    if (!parsed)
    {
        std::printf("  does not parse: %s\n", parsed.GetError().ToString().c_str());
        return 1;
    }
    const SipMessage& m = parsed.GetValue();

    Row("ParseDatagram(std::string_view)",
        Measure([&] { return ParseDatagram(std::string_view(bytes)); }));
    {
        std::string copy = bytes; // made before counting: the caller's buffer
        Row("ParseDatagram(std::string&&)",
            Measure([&] { return ParseDatagram(std::move(copy)); }));
    }
    Row("SipMessage() (empty, for reference)", Measure([] { return SipMessage(); }));
    Row("GetTopVia()", Measure([&] { return m.GetTopVia(); }));
    Row("GetVias()", Measure([&] { return m.GetVias(); }));
    Row("GetContacts()", Measure([&] { return m.GetContacts(); }));
    Row("GetFrom()", Measure([&] { return m.GetFrom(); }));
    Row("GetTo()", Measure([&] { return m.GetTo(); }));
    Row("GetCSeq()", Measure([&] { return m.GetCSeq(); }));
    Row("GetAuth(kAuthorization)", Measure([&] { return m.GetAuth(HeaderId::kAuthorization); }));
    Row("Serialize()", Measure([&] { return m.Serialize(); }));
    {
        std::string out;
        m.SerializeTo(out);
        Row("SerializeTo(reused buffer)", Measure([&] {
                out.clear();
                m.SerializeTo(out);
                return out.size();
            }));
    }
    Row("ToJson()", Measure([&] { return ToJson(m); }));
    return 0;
}

} // namespace

int
main()
{
    int rc = 0;
    rc |= Report("REGISTER", kRegister);
    rc |= Report("INVITE", kInvite);
    rc |= Report("longreq", ReadFile(std::string(SIPBED_SHARED_DIR) + "/torture/longreq.dat"));
    return rc;
}
