// Flow recovery backoff of the outbound draft (4.3; ../shared/spec/outbound.md
// section 4, OB-UA-16..20), the same in RFC 5626 4.5:
//
//   wait-time = min(max-time, base-time * 2 ^ consecutive-failures)
//   base-time = 30 s if every flow to every URI of the set has failed,
//               90 s otherwise
//   delay     = uniform in [50 %, 100 %] of wait-time
//
// The seed prints the formula with a fixed 30 and "2 *" (OCR); its text and
// worked example (base 30, 3 failures: 240 s) give the form above. The
// first failure counts as n = 1, so a UA whose first REGISTER at boot fails
// retries 30-60 s later (the seed's boundary example). This is the one place
// the formula lives.
#ifndef SIPBED_OUTBOUND_BACKOFF_H
#define SIPBED_OUTBOUND_BACKOFF_H

#include "models/core/random-source.h"

#include <cstdint>

namespace sipbed
{

struct BackoffConfig
{
    double baseAllFailedS = 30; ///< outbound 4.3: all flows to every URI failed
    double baseSomeUpS = 90;    ///< outbound 4.3: at least one flow not failed
    double maxS = 1800;         ///< outbound 4.3: the cap
};

/// One decision, with its inputs: an events.csv row of kind `backoff`.
struct BackoffDecision
{
    uint32_t consecutiveFailures = 0;
    double baseTimeS = 0;
    double waitTimeS = 0;
    double delayS = 0;
};

/// wait-time for `consecutiveFailures` (>= 1) failures.
double BackoffWaitTime(const BackoffConfig& config, uint32_t consecutiveFailures, bool allFlowsFailed);

/// The delay before the next registration attempt to a URI after its
/// `consecutiveFailures`-th failure in a row: one draw from `random`.
BackoffDecision DecideBackoff(const BackoffConfig& config,
                              uint32_t consecutiveFailures,
                              bool allFlowsFailed,
                              RandomSource& random);

} // namespace sipbed

#endif
