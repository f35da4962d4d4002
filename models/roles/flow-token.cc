#include "models/roles/flow-token.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace sipbed
{

namespace
{

/// HMAC-SHA1-80: the first 10 octets of HMAC-SHA1 (RFC 2104 5).
constexpr size_t kMacBytes = 10;
/// Algorithm 2's S: protocol, local IPv4 and port, remote IPv4 and port.
constexpr size_t kFlowBytes = 1 + 4 + 2 + 4 + 2;
/// The connection sipbed appends to S for TCP and TLS.
constexpr size_t kConnectionBytes = 4;
/// Algorithm 1: protocol || connection || NTP time (TCP/TLS) and
/// protocol || local port || remote IPv4 || remote port (UDP).
constexpr size_t kDescriptorStreamBytes = 1 + 4 + 8;
constexpr size_t kDescriptorUdpBytes = 1 + 2 + 4 + 2;

/// Base64 length of n octets with padding (RFC 4648 4).
constexpr size_t
Base64Length(size_t n)
{
    return (n + 2) / 3 * 4;
}

/// Spec OB-EP-3: 1 UDP, 2 TCP, 3 TLS (4 would be SCTP, not modelled).
uint8_t
ProtocolOctet(TransportKind kind)
{
    return static_cast<uint8_t>(static_cast<uint8_t>(kind) + 1);
}

std::optional<TransportKind>
KindOfOctet(uint8_t octet)
{
    switch (octet)
    {
    case 1:
        return TransportKind::kUdp;
    case 2:
        return TransportKind::kTcp;
    case 3:
        return TransportKind::kTls;
    default:
        return std::nullopt;
    }
}

/// Big-endian (network order) fields, as a socket address is laid out.
void
Put(std::string& out, uint64_t value, size_t octets)
{
    for (size_t i = octets; i-- > 0;)
    {
        out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    }
}

class Reader
{
  public:
    explicit Reader(std::string_view bytes)
        : m_bytes(bytes)
    {
    }

    uint64_t Get(size_t octets)
    {
        uint64_t v = 0;
        for (size_t i = 0; i < octets && m_pos < m_bytes.size(); ++i)
        {
            v = v << 8 | static_cast<uint8_t>(m_bytes[m_pos++]);
        }
        return v;
    }

  private:
    std::string_view m_bytes;
    size_t m_pos = 0;
};

/// NTP timestamp format (RFC 5905 6): seconds in the high 32 bits, the
/// fraction in the low 32. The fraction step (0.23 ns) is finer than a
/// nanosecond, so FromNtp(ToNtp(t)) == t.
uint64_t
ToNtp(TimeNs t)
{
    const uint64_t ns = t > 0 ? static_cast<uint64_t>(t) : 0;
    const uint64_t seconds = ns / 1000000000u;
    const uint64_t fraction = ((ns % 1000000000u) << 32) / 1000000000u;
    return seconds << 32 | fraction;
}

TimeNs
FromNtp(uint64_t ntp)
{
    const uint64_t fractionNs = ((ntp & 0xffffffffu) * 1000000000u + (1u << 31)) >> 32;
    return static_cast<TimeNs>((ntp >> 32) * 1000000000u + fractionNs);
}

/// Base64 through OpenSSL (DESIGN.md: OpenSSL for crypto and its encodings).
std::string
ToBase64(std::string_view bytes)
{
    std::string out(Base64Length(bytes.size()) + 1, '\0'); // EVP_EncodeBlock writes a NUL
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<size_t>(n));
    return out;
}

/// The octets `text` encodes, only if ToBase64 would write exactly `text`
/// for them: "=" only as final padding and unused low bits zero. Otherwise
/// two spellings would decode alike, and a changed character could go
/// unnoticed by the HMAC.
std::optional<std::string>
FromBase64(std::string_view text)
{
    if (text.empty() || text.size() % 4 != 0)
    {
        return std::nullopt;
    }
    std::string out(text.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(text.data()),
                                  static_cast<int>(text.size()));
    // EVP_DecodeBlock counts padding as zero octets.
    const size_t padding = text.back() != '=' ? 0 : text[text.size() - 2] == '=' ? 2 : 1;
    if (n < 0 || static_cast<size_t>(n) != out.size())
    {
        return std::nullopt;
    }
    out.resize(out.size() - padding);
    if (ToBase64(out) != text)
    {
        return std::nullopt;
    }
    return out;
}

/// RFC 4648 4 alphabet plus padding; see the header for why each is legal
/// in a SIP URI user part.
bool
IsTokenText(std::string_view text)
{
    for (char c : text)
    {
        const bool alnum =
            (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && c != '+' && c != '/' && c != '=')
        {
            return false;
        }
    }
    return true;
}

std::string
Mac(const FlowTokenCodec::Key& key, std::string_view s)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdLength = 0;
    HMAC(EVP_sha1(),
         key.data(),
         static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(s.data()),
         s.size(),
         md,
         &mdLength);
    return std::string(reinterpret_cast<const char*>(md), kMacBytes);
}

/// Algorithm 2's S (spec OB-EP-3), plus the connection for streams.
std::string
FlowBytes(const TransportAddress& flow, const TransportAddress& local)
{
    std::string s;
    Put(s, ProtocolOctet(flow.kind), 1);
    Put(s, local.ip, 4);
    Put(s, local.port, 2);
    Put(s, flow.ip, 4);
    Put(s, flow.port, 2);
    if (IsReliable(flow.kind))
    {
        Put(s, flow.connection, kConnectionBytes);
    }
    return s;
}

/// Reads S back; false if its protocol does not match its length.
bool
ReadFlowBytes(std::string_view s, FlowTokenResult& r)
{
    Reader in(s);
    const std::optional<TransportKind> kind = KindOfOctet(static_cast<uint8_t>(in.Get(1)));
    const size_t expected = kFlowBytes + (kind && IsReliable(*kind) ? kConnectionBytes : 0);
    if (!kind || s.size() != expected)
    {
        return false;
    }
    r.local.kind = *kind;
    r.local.ip = static_cast<uint32_t>(in.Get(4));
    r.local.port = static_cast<uint16_t>(in.Get(2));
    r.flow.kind = *kind;
    r.flow.ip = static_cast<uint32_t>(in.Get(4));
    r.flow.port = static_cast<uint16_t>(in.Get(2));
    r.flow.connection = static_cast<ConnectionId>(in.Get(kConnectionBytes));
    return true;
}

/// The token of Algorithm 2 split into MAC and S; nullopt unless it has
/// one of the two token lengths and the alphabet.
std::optional<std::string>
HmacTokenOctets(std::string_view token)
{
    if ((token.size() != Base64Length(kMacBytes + kFlowBytes) &&
         token.size() != Base64Length(kMacBytes + kFlowBytes + kConnectionBytes)) ||
        !IsTokenText(token))
    {
        return std::nullopt;
    }
    return FromBase64(token).value_or(std::string());
}

FlowTokenResult
DecodeHmac(const FlowTokenCodec::Key& key, std::string_view token)
{
    FlowTokenResult r;
    const std::optional<std::string> raw = HmacTokenOctets(token);
    if (!raw)
    {
        return r; // kMalformed
    }
    r.status = FlowTokenResult::Status::kTampered;
    if (raw->size() <= kMacBytes)
    {
        return r; // not canonical base64 (empty), or too short
    }
    const std::string_view mac = std::string_view(*raw).substr(0, kMacBytes);
    const std::string_view s = std::string_view(*raw).substr(kMacBytes);
    // outbound 6.2 Algorithm 2: recompute the HMAC and check it matches
    // (in constant time, so a forger learns nothing from the timing).
    if (CRYPTO_memcmp(Mac(key, s).data(), mac.data(), kMacBytes) != 0 || !ReadFlowBytes(s, r))
    {
        return FlowTokenResult{FlowTokenResult::Status::kTampered, {}, {}, 0};
    }
    r.status = FlowTokenResult::Status::kOk;
    return r;
}

std::string
EncodeDescriptor(const TransportAddress& flow, const TransportAddress& local, TimeNs created)
{
    std::string s;
    Put(s, ProtocolOctet(flow.kind), 1);
    if (IsReliable(flow.kind))
    {
        // outbound 6.1 Algorithm 1: the descriptor and the (NTP) time the
        // connection was created, so a reused descriptor does not match.
        Put(s, flow.connection, 4);
        Put(s, ToNtp(created), 8);
    }
    else
    {
        // outbound 6.1 Algorithm 1: the descriptor (our socket: its port)
        // and the remote address and port.
        Put(s, local.port, 2);
        Put(s, flow.ip, 4);
        Put(s, flow.port, 2);
    }
    return ToBase64(s);
}

FlowTokenResult
DecodeDescriptor(std::string_view token)
{
    FlowTokenResult r;
    if ((token.size() != Base64Length(kDescriptorStreamBytes) &&
         token.size() != Base64Length(kDescriptorUdpBytes)) ||
        !IsTokenText(token))
    {
        return r;
    }
    const std::optional<std::string> raw = FromBase64(token);
    if (!raw || raw->empty())
    {
        return r;
    }
    Reader in(*raw);
    const std::optional<TransportKind> kind = KindOfOctet(static_cast<uint8_t>(in.Get(1)));
    if (!kind || raw->size() != (IsReliable(*kind) ? kDescriptorStreamBytes : kDescriptorUdpBytes))
    {
        return r;
    }
    r.flow.kind = *kind;
    r.local.kind = *kind;
    if (IsReliable(*kind))
    {
        r.flow.connection = static_cast<ConnectionId>(in.Get(4));
        r.created = FromNtp(in.Get(8));
    }
    else
    {
        r.local.port = static_cast<uint16_t>(in.Get(2));
        r.flow.ip = static_cast<uint32_t>(in.Get(4));
        r.flow.port = static_cast<uint16_t>(in.Get(2));
    }
    r.status = FlowTokenResult::Status::kOk;
    return r;
}

} // namespace

FlowTokenCodec::Key
FlowTokenCodec::DrawKey(RandomSource& random)
{
    Key key{};
    for (uint8_t& octet : key)
    {
        octet = static_cast<uint8_t>(random.Below(256));
    }
    return key;
}

FlowTokenCodec::FlowTokenCodec(FlowTokenAlgorithm algorithm, const Key& key)
    : m_algorithm(algorithm)
    , m_key(key)
{
}

std::string
FlowTokenCodec::Encode(const TransportAddress& flow,
                       const TransportAddress& local,
                       TimeNs created) const
{
    if (m_algorithm == FlowTokenAlgorithm::kDescriptor)
    {
        return EncodeDescriptor(flow, local, created);
    }
    // outbound 6.1 Algorithm 2: base64(HMAC-SHA1-80(K, S) || S).
    const std::string s = FlowBytes(flow, local);
    return ToBase64(Mac(m_key, s) + s);
}

FlowTokenResult
FlowTokenCodec::Decode(std::string_view token) const
{
    return m_algorithm == FlowTokenAlgorithm::kDescriptor ? DecodeDescriptor(token)
                                                          : DecodeHmac(m_key, token);
}

std::optional<TransportAddress>
DecodeFlowToken(std::string_view token)
{
    const std::optional<std::string> raw = HmacTokenOctets(token);
    FlowTokenResult r;
    if (!raw || raw->size() <= kMacBytes || !ReadFlowBytes(raw->substr(kMacBytes), r))
    {
        return std::nullopt;
    }
    return r.flow;
}

} // namespace sipbed
