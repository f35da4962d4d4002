#include "models/sip/stun-message.h"

#include "models/core/transport-address.h"

#include <boost/crc.hpp>

#include <cstdio>

namespace sipbed
{
namespace
{

/// RFC 5389 15.10 / 15.6: SOFTWARE and reason phrases are under 128
/// characters, at most 763 octets of UTF-8.
constexpr size_t kStunMaxText = 763;

uint16_t
Get16(std::string_view b, size_t pos)
{
    return static_cast<uint16_t>(static_cast<uint8_t>(b[pos]) << 8 |
                                 static_cast<uint8_t>(b[pos + 1]));
}

uint32_t
Get32(std::string_view b, size_t pos)
{
    return static_cast<uint32_t>(Get16(b, pos)) << 16 | Get16(b, pos + 2);
}

void
Put16(std::string& out, uint16_t v)
{
    out.push_back(static_cast<char>(v >> 8));
    out.push_back(static_cast<char>(v & 0xff));
}

void
Put32(std::string& out, uint32_t v)
{
    Put16(out, static_cast<uint16_t>(v >> 16));
    Put16(out, static_cast<uint16_t>(v & 0xffff));
}

void
Set16(std::string& out, size_t pos, uint16_t v)
{
    out[pos] = static_cast<char>(v >> 8);
    out[pos + 1] = static_cast<char>(v & 0xff);
}

/// RFC 5389 15.5: CRC-32 of ITU V.42 (the one of zlib and Ethernet).
uint32_t
Crc32(std::string_view bytes)
{
    boost::crc_32_type crc;
    crc.process_bytes(bytes.data(), bytes.size());
    return crc.checksum();
}

std::string
Hex16(uint16_t v)
{
    char buffer[8];
    std::snprintf(buffer, sizeof(buffer), "0x%04x", v);
    return buffer;
}

ParseError
StunError(std::string reason)
{
    return MakeError(std::move(reason), 0); // dropped, never answered
}

ParseError
AttrError(uint16_t type, size_t offset, const std::string& what)
{
    return StunError("attribute " + Hex16(type) + " at offset " + std::to_string(offset) + ": " +
                     what);
}

/// Whether a comprehension-required attribute is defined in this dialect
/// for this class of message.
bool
Understood(uint16_t type, StunDialect dialect, StunClass messageClass)
{
    if (type >= 0x8000)
    {
        return true; // comprehension-optional (RFC 3489 11.2, RFC 5389 15)
    }
    if (dialect == StunDialect::kRfc3489)
    {
        return type >= StunAttr::kMappedAddress && type <= StunAttr::kReflectedFrom;
    }
    switch (type)
    {
    case StunAttr::kMappedAddress:
    case StunAttr::kUsername:
    case StunAttr::kMessageIntegrity:
    case StunAttr::kErrorCode:
    case StunAttr::kUnknownAttributes:
    case StunAttr::kRealm:
    case StunAttr::kNonce:
    case StunAttr::kXorMappedAddress:
        return true;
    case StunAttr::kResponseAddress:
    case StunAttr::kSourceAddress:
    case StunAttr::kChangedAddress:
    case StunAttr::kReflectedFrom:
        // RFC 5389 12.1: an RFC 3489 server echoes the cookie and adds these
        // to its responses; a client ignores them there. In a request they
        // are unknown (12.2: the server answers 420).
        return messageClass == StunClass::kSuccessResponse ||
               messageClass == StunClass::kErrorResponse;
    default:
        return false;
    }
}

/// MAPPED-ADDRESS and its relatives (RFC 3489 11.2.1, RFC 5389 15.1/15.2).
/// Sets `out` for IPv4; leaves it empty for IPv6, which sipbed does not
/// model (RFC 5389 7.3.3: an unsupported family SHOULD be ignored).
std::optional<ParseError>
ReadAddress(
    std::string_view v, uint16_t type, size_t offset, bool xored, std::optional<StunAddress>& out)
{
    if (v.size() < 4)
    {
        return AttrError(type, offset, "address value of " + std::to_string(v.size()) + " octets");
    }
    uint8_t family = static_cast<uint8_t>(v[1]);
    size_t expected = family == 0x01 ? 8 : family == 0x02 ? 20 : 0;
    if (expected == 0)
    {
        return AttrError(type, offset, "unknown address family " + std::to_string(family));
    }
    if (v.size() != expected)
    {
        return AttrError(type,
                         offset,
                         std::string(family == 1 ? "IPv4" : "IPv6") + " address of " +
                             std::to_string(v.size()) + " octets (expected " +
                             std::to_string(expected) + ")");
    }
    if (family == 0x02)
    {
        return std::nullopt;
    }
    StunAddress a;
    a.port = Get16(v, 2);
    a.ip = Get32(v, 4);
    if (xored)
    {
        // RFC 5389 15.2: X-Port = port XOR the cookie's high 16 bits,
        // X-Address = address XOR the cookie.
        a.port ^= static_cast<uint16_t>(kStunMagicCookie >> 16);
        a.ip ^= kStunMagicCookie;
    }
    out = a;
    return std::nullopt;
}

void
AppendAttribute(std::string& out, uint16_t type, std::string_view value, char pad = '\0')
{
    Put16(out, type);
    Put16(out, static_cast<uint16_t>(value.size()));
    out.append(value);
    // RFC 5389 15: attributes end on a 32-bit boundary.
    while (out.size() % 4 != 0)
    {
        out.push_back(pad);
    }
}

void
AppendAddress(std::string& out, uint16_t type, const StunAddress& a, bool xored)
{
    std::string v;
    v.push_back('\0');
    v.push_back('\x01'); // IPv4
    Put16(v, xored ? static_cast<uint16_t>(a.port ^ (kStunMagicCookie >> 16)) : a.port);
    Put32(v, xored ? a.ip ^ kStunMagicCookie : a.ip);
    AppendAttribute(out, type, v);
}

} // namespace

std::string_view
StunDialectName(StunDialect dialect)
{
    return dialect == StunDialect::kRfc5389 ? "rfc5389" : "rfc3489";
}

std::string
StunAddress::ToString() const
{
    return FormatIpv4(ip) + ":" + std::to_string(port);
}

uint16_t
StunMessageType(uint16_t method, StunClass messageClass)
{
    // RFC 5389 6: M11..M7 C1 M6..M4 C0 M3..M0.
    uint16_t c = static_cast<uint16_t>(messageClass);
    return static_cast<uint16_t>((method & 0x000f) | (method & 0x0070) << 1 |
                                 (method & 0x0f80) << 2 | (c & 1) << 4 | (c & 2) << 7);
}

StunDialect
StunMessage::GetDialect() const
{
    uint32_t cookie = static_cast<uint32_t>(transactionId[0]) << 24 |
                      static_cast<uint32_t>(transactionId[1]) << 16 |
                      static_cast<uint32_t>(transactionId[2]) << 8 | transactionId[3];
    return cookie == kStunMagicCookie ? StunDialect::kRfc5389 : StunDialect::kRfc3489;
}

StunTransactionId
StunMessage::MakeTransactionId(StunDialect dialect, const StunRandom& random)
{
    StunTransactionId id{};
    size_t first = 0;
    if (dialect == StunDialect::kRfc5389)
    {
        id[0] = 0x21;
        id[1] = 0x12;
        id[2] = 0xA4;
        id[3] = 0x42;
        first = 4;
    }
    for (size_t i = first; i < id.size(); i += 4)
    {
        uint32_t r = random();
        id[i] = static_cast<uint8_t>(r >> 24);
        id[i + 1] = static_cast<uint8_t>(r >> 16);
        id[i + 2] = static_cast<uint8_t>(r >> 8);
        id[i + 3] = static_cast<uint8_t>(r);
    }
    // RFC 3489 has no cookie, but a random id that happens to start with it
    // would be read as RFC 5389 (RFC 5389 12.2 accepts that 2^-32 chance);
    // flip one bit so a 3489 client stays a 3489 client.
    if (dialect == StunDialect::kRfc3489 && id[0] == 0x21 && id[1] == 0x12 && id[2] == 0xA4 &&
        id[3] == 0x42)
    {
        id[3] ^= 0x01;
    }
    return id;
}

std::string
StunMessage::Encode() const
{
    const bool classic = GetDialect() == StunDialect::kRfc3489;
    std::string out;
    out.reserve(96);
    Put16(out, StunMessageType(method, messageClass));
    Put16(out, 0); // length, set below
    out.append(reinterpret_cast<const char*>(transactionId.data()), transactionId.size());
    if (mappedAddress)
    {
        AppendAddress(out, StunAttr::kMappedAddress, *mappedAddress, false);
    }
    if (sourceAddress)
    {
        AppendAddress(out, StunAttr::kSourceAddress, *sourceAddress, false);
    }
    if (changedAddress)
    {
        AppendAddress(out, StunAttr::kChangedAddress, *changedAddress, false);
    }
    if (xorMappedAddress)
    {
        AppendAddress(out, StunAttr::kXorMappedAddress, *xorMappedAddress, true);
    }
    if (errorCode)
    {
        // RFC 3489 11.2.9 / RFC 5389 15.6: 21 zero bits, class (hundreds),
        // number (0..99), reason phrase.
        std::string v(2, '\0');
        v.push_back(static_cast<char>((*errorCode / 100) & 0x07));
        v.push_back(static_cast<char>(*errorCode % 100));
        v.append(errorReason.substr(0, kStunMaxText));
        // RFC 3489 11.2.9: the reason's length is a multiple of 4, by spaces.
        while (classic && v.size() % 4 != 0)
        {
            v.push_back(' ');
        }
        AppendAttribute(out, StunAttr::kErrorCode, v);
    }
    if (!unknownAttributes.empty())
    {
        std::string v;
        for (uint16_t t : unknownAttributes)
        {
            Put16(v, t);
        }
        // RFC 3489 11.2.10: an odd count repeats one attribute to fill 32
        // bits; RFC 5389 15.9 pads like any attribute.
        if (classic && unknownAttributes.size() % 2 != 0)
        {
            Put16(v, unknownAttributes.back());
        }
        AppendAttribute(out, StunAttr::kUnknownAttributes, v);
    }
    if (software)
    {
        AppendAttribute(
            out, StunAttr::kSoftware, std::string_view(*software).substr(0, kStunMaxText));
    }
    if (fingerprint)
    {
        // RFC 5389 15.5: the length already counts the FINGERPRINT attribute
        // when the CRC is computed; the CRC covers everything before it.
        Set16(out, 2, static_cast<uint16_t>(out.size() + 8 - kStunHeaderSize));
        uint32_t crc = Crc32(out) ^ kStunFingerprintXor;
        Put16(out, StunAttr::kFingerprint);
        Put16(out, 4);
        Put32(out, crc);
    }
    Set16(out, 2, static_cast<uint16_t>(out.size() - kStunHeaderSize));
    return out;
}

Result<StunMessage>
StunMessage::Decode(std::string_view bytes)
{
    if (bytes.size() < kStunHeaderSize)
    {
        return StunError("truncated: " + std::to_string(bytes.size()) +
                         " octets, a STUN header has 20");
    }
    uint16_t type = Get16(bytes, 0);
    // RFC 5389 6: the two most significant bits are zero (RFC 3489's types
    // all have them zero too).
    if (type & 0xC000)
    {
        return StunError("message type " + Hex16(type) + " has its first two bits set");
    }
    size_t length = Get16(bytes, 2);
    // RFC 5389 6: the length is a multiple of 4 (all attributes are padded).
    if (length % 4 != 0)
    {
        return StunError("message length " + std::to_string(length) + " is not a multiple of 4");
    }
    if (kStunHeaderSize + length > bytes.size())
    {
        return StunError("truncated: the header announces " + std::to_string(length) +
                         " octets of attributes, " +
                         std::to_string(bytes.size() - kStunHeaderSize) + " follow");
    }
    if (kStunHeaderSize + length < bytes.size())
    {
        // One datagram holds one message; trailing octets mean this is not
        // (only) STUN.
        return StunError("oversized: " + std::to_string(bytes.size() - kStunHeaderSize - length) +
                         " octets after the announced message length");
    }
    StunMessage m;
    m.method = static_cast<uint16_t>((type & 0x000f) | (type & 0x00e0) >> 1 | (type & 0x3e00) >> 2);
    m.messageClass = static_cast<StunClass>((type >> 4 & 1) | (type >> 7 & 2));
    for (size_t i = 0; i < m.transactionId.size(); ++i)
    {
        m.transactionId[i] = static_cast<uint8_t>(bytes[4 + i]);
    }
    const StunDialect dialect = m.GetDialect();
    bool afterIntegrity = false;
    bool seenMapped = false;
    bool seenXorMapped = false;
    bool seenSource = false;
    bool seenChanged = false;
    size_t pos = kStunHeaderSize;
    const size_t end = bytes.size();
    while (pos < end)
    {
        // pos and end are multiples of 4 here, so a whole attribute header fits.
        uint16_t attrType = Get16(bytes, pos);
        size_t valueLength = Get16(bytes, pos + 2);
        size_t padded = (valueLength + 3) & ~size_t{3};
        if (padded > end - pos - 4)
        {
            return AttrError(attrType,
                             pos,
                             "value of " + std::to_string(valueLength) + " octets runs " +
                                 std::to_string(padded - (end - pos - 4)) +
                                 " octets past the end of the message");
        }
        std::string_view value = bytes.substr(pos + 4, valueLength);
        const size_t offset = pos;
        pos += 4 + padded;
        if (attrType == StunAttr::kFingerprint)
        {
            // RFC 5389 15.5: the last attribute; CRC over all that precedes it.
            if (valueLength != 4)
            {
                return AttrError(
                    attrType, offset, "FINGERPRINT of " + std::to_string(valueLength) + " octets");
            }
            if (pos != end)
            {
                return AttrError(attrType, offset, "FINGERPRINT is not the last attribute");
            }
            uint32_t expected = Crc32(bytes.substr(0, offset)) ^ kStunFingerprintXor;
            if (Get32(value, 0) != expected)
            {
                return AttrError(attrType, offset, "FINGERPRINT does not match the message");
            }
            m.fingerprint = true;
            continue;
        }
        if (afterIntegrity)
        {
            // RFC 5389 15.4 (and RFC 3489 11.2: MESSAGE-INTEGRITY is last):
            // only FINGERPRINT counts after MESSAGE-INTEGRITY.
            continue;
        }
        if (!Understood(attrType, dialect, m.messageClass))
        {
            m.unknownRequired.push_back(attrType);
            continue;
        }
        std::optional<ParseError> error;
        switch (attrType)
        {
        case StunAttr::kMappedAddress:
            // RFC 5389 15: only the first occurrence of an attribute counts.
            if (!seenMapped)
            {
                seenMapped = true;
                error = ReadAddress(value, attrType, offset, false, m.mappedAddress);
            }
            break;
        case StunAttr::kXorMappedAddress:
            if (!seenXorMapped)
            {
                seenXorMapped = true;
                error = ReadAddress(value, attrType, offset, true, m.xorMappedAddress);
            }
            break;
        case StunAttr::kSourceAddress:
            if (!seenSource)
            {
                seenSource = true;
                error = ReadAddress(value, attrType, offset, false, m.sourceAddress);
            }
            break;
        case StunAttr::kChangedAddress:
            if (!seenChanged)
            {
                seenChanged = true;
                error = ReadAddress(value, attrType, offset, false, m.changedAddress);
            }
            break;
        case StunAttr::kMessageIntegrity:
            // HMAC-SHA1 (RFC 3489 11.2.8, RFC 5389 15.4): not checked, as no
            // credentials are used, but its size is fixed.
            if (valueLength != 20)
            {
                error =
                    AttrError(attrType,
                              offset,
                              "MESSAGE-INTEGRITY of " + std::to_string(valueLength) + " octets");
            }
            afterIntegrity = true;
            break;
        case StunAttr::kErrorCode:
            if (m.errorCode)
            {
                break;
            }
            if (valueLength < 4)
            {
                error = AttrError(
                    attrType, offset, "ERROR-CODE of " + std::to_string(valueLength) + " octets");
            }
            else
            {
                // RFC 3489 11.2.9: class 1..6, number 0..99.
                int errorClass = static_cast<uint8_t>(value[2]) & 0x07;
                int number = static_cast<uint8_t>(value[3]);
                if (errorClass < 1 || errorClass > 6 || number > 99)
                {
                    error = AttrError(attrType,
                                      offset,
                                      "error class " + std::to_string(errorClass) + " number " +
                                          std::to_string(number) + " is not a code in 100..699");
                }
                else
                {
                    m.errorCode = errorClass * 100 + number;
                    std::string_view reason = value.substr(4);
                    // RFC 3489 pads the reason with spaces.
                    while (!reason.empty() && reason.back() == ' ')
                    {
                        reason.remove_suffix(1);
                    }
                    m.errorReason = std::string(reason);
                }
            }
            break;
        case StunAttr::kUnknownAttributes:
            if (valueLength % 2 != 0)
            {
                error =
                    AttrError(attrType,
                              offset,
                              "UNKNOWN-ATTRIBUTES of odd length " + std::to_string(valueLength));
            }
            else if (m.unknownAttributes.empty())
            {
                for (size_t i = 0; i < valueLength; i += 2)
                {
                    m.unknownAttributes.push_back(Get16(value, i));
                }
            }
            break;
        case StunAttr::kSoftware:
            if (!m.software)
            {
                m.software = std::string(value);
            }
            break;
        default:
            // Known but not used here (USERNAME, REALM, NONCE, CHANGE-REQUEST,
            // RESPONSE-ADDRESS, ...): RFC 5389 7.3 says ignore; RFC 3489
            // 11.2 ignores attributes that do not belong in the message.
            break;
        }
        if (error)
        {
            return *error;
        }
    }
    return m;
}

} // namespace sipbed
