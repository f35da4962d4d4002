// A network for sans-IO role tests: elements at IPv4 addresses, datagrams
// and TCP-like connections delivered after a fixed delay on a ManualClock,
// with optional loss of datagrams. No NAT: addresses are reachable as they
// are. What travels are the real serialized bytes. SIPBED_LOOPBACK_TRACE=1
// prints every datagram.
#ifndef SIPBED_TEST_LOOPBACK_NETWORK_H
#define SIPBED_TEST_LOOPBACK_NETWORK_H

#include "models/core/manual-clock.h"
#include "models/sip/sip-transport.h"
#include "models/sip/transport-io.h"

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sipbed
{
namespace test
{

/// A dotted-quad IPv4 address in host order (test inputs are well formed).
inline uint32_t
Ip(const char* text)
{
    uint32_t ip = 0;
    ParseIpv4(text, ip);
    return ip;
}

class LoopbackNetwork
{
  public:
    explicit LoopbackNetwork(TimeNs delay = SecondsToNs(0.01))
        : m_delay(delay)
    {
    }

    ManualClock& Clock()
    {
        return m_clock;
    }

    /// The TransportIo of the endpoint at ip:port (its SipTransport is
    /// attached later with Attach).
    class Io : public TransportIo
    {
      public:
        Io(LoopbackNetwork& net, uint32_t ip, uint16_t port)
            : m_net(net),
              m_ip(ip),
              m_port(port)
        {
        }

        void SendDatagram(const TransportAddress& to, std::string_view bytes) override
        {
            m_net.Datagram(TransportAddress{to.kind, m_ip, m_port, 0}, to, std::string(bytes));
        }

        ConnectionId OpenConnection(const TransportAddress& to) override
        {
            return m_net.Connect(*this, to);
        }

        void SendOnConnection(ConnectionId id, std::string_view bytes) override
        {
            m_net.Stream(*this, id, std::string(bytes));
        }

        void CloseConnection(ConnectionId id) override
        {
            m_net.Close(*this, id);
        }

        SipTransport* transport = nullptr;

      private:
        friend class LoopbackNetwork;
        LoopbackNetwork& m_net;
        uint32_t m_ip;
        uint16_t m_port;
        /// our connection id -> (peer io, peer's id for it)
        std::map<ConnectionId, std::pair<Io*, ConnectionId>> m_links;
        ConnectionId m_nextId = 1;
    };

    Io& AddEndpoint(uint32_t ip, uint16_t port)
    {
        m_ios.push_back(std::make_unique<Io>(*this, ip, port));
        return *m_ios.back();
    }

    /// Drops datagrams for which this returns true (loss tests).
    std::function<bool(const std::string& bytes)> dropDatagram;
    /// Sees every datagram and every stream chunk sent (wire-format tests).
    std::function<void(const std::string& bytes)> observe;

    uint64_t datagramsSent = 0;
    uint64_t datagramsDropped = 0;

  private:
    Io* Find(uint32_t ip, uint16_t port)
    {
        for (auto& io : m_ios)
        {
            if (io->m_ip == ip && io->m_port == port)
            {
                return io.get();
            }
        }
        return nullptr;
    }

    void Datagram(const TransportAddress& from, const TransportAddress& to, std::string bytes)
    {
        ++datagramsSent;
        if (observe)
        {
            observe(bytes);
        }
        const bool drop = dropDatagram && dropDatagram(bytes);
        if (std::getenv("SIPBED_LOOPBACK_TRACE") != nullptr)
        {
            // Debugging aid: every datagram's time, ends and start line.
            std::fprintf(stderr,
                         "%.3f %s -> %s %s%s\n",
                         static_cast<double>(m_clock.Now()) / 1e9,
                         from.ToString().c_str(),
                         to.ToString().c_str(),
                         bytes.substr(0, bytes.find('\r')).c_str(),
                         drop ? " DROPPED" : "");
        }
        if (drop)
        {
            ++datagramsDropped;
            return;
        }
        Io* dest = Find(to.ip, to.port);
        if (!dest)
        {
            return;
        }
        m_clock.StartTimer(m_delay, [dest, from, bytes]() {
            if (dest->transport)
            {
                dest->transport->OnDatagram(bytes, from);
            }
        });
    }

    ConnectionId Connect(Io& from, const TransportAddress& to)
    {
        const ConnectionId id = from.m_nextId++;
        Io* dest = Find(to.ip, to.port);
        // An ephemeral source port per connection, as a TCP client has.
        const uint16_t sourcePort = static_cast<uint16_t>(40000 + m_nextEphemeral++);
        m_clock.StartTimer(m_delay, [this, &from, dest, id, to, sourcePort]() {
            if (!dest)
            {
                if (from.transport)
                {
                    from.transport->OnConnectionClosed(id, true);
                }
                return;
            }
            const ConnectionId peerId = dest->m_nextId++;
            from.m_links[id] = {dest, peerId};
            dest->m_links[peerId] = {&from, id};
            if (dest->transport)
            {
                dest->transport->OnAccepted(peerId,
                                            TransportAddress{to.kind, from.m_ip, sourcePort, peerId});
            }
            m_clock.StartTimer(m_delay, [&from, id]() {
                if (from.transport)
                {
                    from.transport->OnConnected(id);
                }
            });
        });
        return id;
    }

    void Stream(Io& from, ConnectionId id, std::string bytes)
    {
        auto it = from.m_links.find(id);
        if (it == from.m_links.end())
        {
            return;
        }
        Io* peer = it->second.first;
        const ConnectionId peerId = it->second.second;
        if (observe)
        {
            observe(bytes);
        }
        m_clock.StartTimer(m_delay, [peer, peerId, bytes]() {
            if (peer->transport && peer->m_links.count(peerId))
            {
                peer->transport->OnConnectionBytes(peerId, bytes);
            }
        });
    }

    void Close(Io& from, ConnectionId id)
    {
        auto it = from.m_links.find(id);
        if (it == from.m_links.end())
        {
            return;
        }
        Io* peer = it->second.first;
        const ConnectionId peerId = it->second.second;
        from.m_links.erase(it);
        m_clock.StartTimer(m_delay, [peer, peerId]() {
            if (peer->m_links.erase(peerId) && peer->transport)
            {
                peer->transport->OnConnectionClosed(peerId, false);
            }
        });
    }

    TimeNs m_delay;
    ManualClock m_clock;
    std::vector<std::unique_ptr<Io>> m_ios;
    uint32_t m_nextEphemeral = 0;
};

} // namespace test
} // namespace sipbed

#endif
