// Random numbers for the sans-IO models. Roles never create their own
// generators: every draw comes from a RandomSource the environment gives
// them, so that in the simulator each draw is an ns-3 random stream with an
// explicitly assigned number (reproducible runs, DESIGN.md "Randomness"),
// and in unit tests a seeded or scripted source.
#ifndef SIPBED_RANDOM_SOURCE_H
#define SIPBED_RANDOM_SOURCE_H

#include <cstdint>
#include <string>

namespace sipbed
{

class RandomSource
{
  public:
    virtual ~RandomSource() = default;

    /// Uniform in [0, 1).
    virtual double Uniform() = 0;

    /// Uniform in [min, max).
    double Uniform(double min, double max)
    {
        return min + (max - min) * Uniform();
    }

    /// Uniform integer in [0, bound) (bound > 0).
    uint64_t Below(uint64_t bound)
    {
        const uint64_t v = static_cast<uint64_t>(Uniform() * static_cast<double>(bound));
        return v < bound ? v : bound - 1;
    }

    /// `length` characters from [0-9a-z]: branch, tag and Call-ID material.
    std::string Token(size_t length)
    {
        static const char kChars[] = "0123456789abcdefghijklmnopqrstuvwxyz";
        std::string s(length, '0');
        for (char& c : s)
        {
            c = kChars[Below(36)];
        }
        return s;
    }
};

/// A small deterministic generator (SplitMix64) for unit tests and benches.
class SeededRandom : public RandomSource
{
  public:
    explicit SeededRandom(uint64_t seed)
        : m_state(seed)
    {
    }

    using RandomSource::Uniform; // keep Uniform(min, max) visible

    double Uniform() override
    {
        m_state += 0x9E3779B97F4A7C15ull;
        uint64_t z = m_state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        return static_cast<double>(z >> 11) * (1.0 / 9007199254740992.0); // 53 bits
    }

  private:
    uint64_t m_state;
};

} // namespace sipbed

#endif
