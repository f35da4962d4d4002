// The sans-IO models' RandomSource on an ns-3 random stream: every draw a
// role makes is reproducible through the stream number the scenario assigns
// (DESIGN.md, Randomness).
#ifndef SIPBED_NS3_RANDOM_SOURCE_H
#define SIPBED_NS3_RANDOM_SOURCE_H

#include "models/core/random-source.h"

#include "ns3/random-variable-stream.h"

namespace sipbed
{

class Ns3RandomSource : public RandomSource
{
  public:
    Ns3RandomSource()
        : m_rv(ns3::CreateObject<ns3::UniformRandomVariable>())
    {
    }

    using RandomSource::Uniform; // keep Uniform(min, max) visible

    double Uniform() override
    {
        return m_rv->GetValue(0.0, 1.0);
    }

    /// ns-3 convention: a fixed stream; returns how many it used.
    int64_t AssignStreams(int64_t stream)
    {
        m_rv->SetStream(stream);
        return 1;
    }

  private:
    ns3::Ptr<ns3::UniformRandomVariable> m_rv;
};

} // namespace sipbed

#endif
