// Simulated time in the sans-IO models: integer nanoseconds, the unit of
// ns-3's Time, so that conversions at the sim/ boundary are exact.
#ifndef SIPBED_TIME_NS_H
#define SIPBED_TIME_NS_H

#include <cstdint>

namespace sipbed
{

using TimeNs = int64_t;

constexpr TimeNs
SecondsToNs(double s)
{
    return static_cast<TimeNs>(s * 1e9);
}

} // namespace sipbed

#endif
