#include "stream-allocator.h"

#include <stdexcept>

namespace sipbed
{

StreamAllocator::StreamAllocator(int64_t first, int64_t limit)
    : m_next(first)
    , m_limit(limit)
{
    if (first < 0 || limit < first)
    {
        throw std::invalid_argument("StreamAllocator: need 0 <= first <= limit");
    }
}

int64_t
StreamAllocator::Allocate(const std::string& component, int64_t count)
{
    if (count < 0)
    {
        throw std::invalid_argument("StreamAllocator: negative stream count for '" + component +
                                    "'");
    }
    if (count > m_limit - m_next)
    {
        throw std::length_error("StreamAllocator: out of stream numbers at '" + component + "'");
    }
    const int64_t first = m_next;
    m_next += count;
    Note(component, first, count);
    return first;
}

int64_t
StreamAllocator::Assign(const std::string& component, const std::function<int64_t(int64_t)>& assign)
{
    const int64_t first = m_next;
    const int64_t used = assign(first);
    if (used < 0 || used > m_limit - m_next)
    {
        throw std::length_error("StreamAllocator: '" + component +
                                "' used an invalid number of streams");
    }
    m_next += used;
    Note(component, first, used);
    return used;
}

int64_t
StreamAllocator::GetNext() const
{
    return m_next;
}

const std::vector<StreamAllocator::Allocation>&
StreamAllocator::GetAllocations() const
{
    return m_allocations;
}

void
StreamAllocator::Note(const std::string& component, int64_t first, int64_t count)
{
    if (!m_allocations.empty())
    {
        Allocation& last = m_allocations.back();
        if (last.component == component && last.first + last.count == first)
        {
            last.count += count;
            return;
        }
    }
    m_allocations.push_back({component, first, count});
}

} // namespace sipbed
