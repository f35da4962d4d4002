#include "models/roles/outbound-backoff.h"

#include <algorithm>
#include <cmath>

namespace sipbed
{

double
BackoffWaitTime(const BackoffConfig& config, uint32_t consecutiveFailures, bool allFlowsFailed)
{
    const double base = allFlowsFailed ? config.baseAllFailedS : config.baseSomeUpS;
    // 2^n overflows nothing here: past n = 11 even base 1 s exceeds any cap
    // worth configuring, so the exponent is clamped before the power.
    const double factor = std::ldexp(1.0, static_cast<int>(std::min<uint32_t>(consecutiveFailures, 62)));
    return std::min(config.maxS, base * factor);
}

BackoffDecision
DecideBackoff(const BackoffConfig& config, uint32_t consecutiveFailures, bool allFlowsFailed, RandomSource& random)
{
    BackoffDecision d;
    d.consecutiveFailures = consecutiveFailures;
    d.baseTimeS = allFlowsFailed ? config.baseAllFailedS : config.baseSomeUpS;
    d.waitTimeS = BackoffWaitTime(config, consecutiveFailures, allFlowsFailed);
    d.delayS = random.Uniform(0.5 * d.waitTimeS, d.waitTimeS); // 4.3: [50 %, 100 %]
    return d;
}

} // namespace sipbed
