#ifndef SIPBED_SIM_STREAM_ALLOCATOR_H
#define SIPBED_SIM_STREAM_ALLOCATOR_H

#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sipbed
{

/**
 * Hands out ns-3 random stream numbers, so that every random draw of a run
 * comes from an explicitly numbered stream (DESIGN.md, "Randomness").
 *
 * Why: an ns-3 random variable whose stream is not set gets the next
 * "automatic" stream of a process-wide counter that Simulator::Destroy does
 * not reset, so its draws depend on everything that ran before in the same
 * process (another scenario, a Python sweep). A numbered stream with the
 * run's seed gives the same draws in any process, in any order.
 *
 * Numbers are handed out in call order, starting at 0, so they depend only on
 * the order in which the scenario builds its components; that order must
 * depend only on the parameters (never on a pointer value, an unordered
 * container's iteration order or the wall clock). Each allocation is recorded
 * with the component's name and listed in log.txt.
 *
 * \code
 *   StreamAllocator& streams = context.GetStreams();
 *   // a random variable of our own:
 *   auto jitter = streams.CreateVariable<ns3::UniformRandomVariable>("keepalive-jitter");
 *   jitter->SetAttribute("Max", ns3::DoubleValue(0.2));
 *   // a component with the ns-3 convention int64_t AssignStreams(int64_t first):
 *   streams.Assign("loss", [&](int64_t first) { return lossModel->AssignStreams(first); });
 *   // a fixed block:
 *   int64_t first = streams.Allocate("nat-ports", 4);
 * \endcode
 *
 * The runner assigns the streams of the ns-3 internet stacks and CSMA devices
 * itself (from a separate range, see ScenarioRunner), so scenarios need not.
 */
class StreamAllocator
{
  public:
    /// One allocation, for the log.
    struct Allocation
    {
        std::string component; //!< who got it
        int64_t first;         //!< first stream number
        int64_t count;         //!< how many
    };

    /**
     * \param first the first stream number to hand out
     * \param limit one past the last number this allocator may hand out
     */
    explicit StreamAllocator(int64_t first = 0, int64_t limit = kDefaultLimit);

    /**
     * Reserve \p count consecutive stream numbers.
     *
     * \param component who they are for (logged)
     * \param count how many (>= 0)
     * \return the first of them
     */
    int64_t Allocate(const std::string& component, int64_t count = 1);

    /**
     * Let a component with the ns-3 `int64_t AssignStreams(int64_t first)`
     * convention take as many numbers as it needs.
     *
     * \param component who they are for (logged)
     * \param assign called with the first free number; returns how many it used
     * \return the number of streams used
     */
    int64_t Assign(const std::string& component, const std::function<int64_t(int64_t)>& assign);

    /**
     * Create a random variable of type \p T on a fresh stream. Set its
     * attributes (Min, Max, Mean, ...) afterwards.
     */
    template <typename T>
    ns3::Ptr<T> CreateVariable(const std::string& component)
    {
        ns3::Ptr<T> variable = ns3::CreateObject<T>();
        variable->SetStream(Allocate(component));
        return variable;
    }

    /// \return the next number that would be handed out.
    int64_t GetNext() const;

    /// \return every allocation, consecutive ones of one component merged.
    const std::vector<Allocation>& GetAllocations() const;

    /// Scenario streams stay below this (2^40); the runner uses the numbers above.
    static constexpr int64_t kDefaultLimit = int64_t{1} << 40;

  private:
    /// Record [first, first + count) for \p component.
    void Note(const std::string& component, int64_t first, int64_t count);

    int64_t m_next;                        //!< next free number
    int64_t m_limit;                       //!< one past the last usable number
    std::vector<Allocation> m_allocations; //!< for the log
};

} // namespace sipbed

#endif // SIPBED_SIM_STREAM_ALLOCATOR_H
