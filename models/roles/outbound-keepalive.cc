#include "models/roles/outbound-keepalive.h"

namespace sipbed
{

std::vector<TimeNs>
StunTransmitSchedule(OutboundProfile profile)
{
    std::vector<TimeNs> at;
    if (profile == OutboundProfile::kRfc5626)
    {
        TimeNs t = 0;
        TimeNs rto = SecondsToNs(0.5);
        for (int i = 0; i < 7; ++i)
        {
            at.push_back(t);
            t += rto;
            rto *= 2;
        }
        at.push_back(at.back() + 16 * SecondsToNs(0.5)); // Rm = 16 x initial RTO
        return at;
    }
    const double gapsMs[] = {100, 200, 400, 800, 1600, 1600, 1600, 1600, 1600};
    TimeNs t = 0;
    at.push_back(t);
    for (double g : gapsMs)
    {
        t += SecondsToNs(g / 1000);
        at.push_back(t);
    }
    return at; // 9 sends, the 10th entry (9.5 s) is the failure
}

} // namespace sipbed
