#include "models/sip/sip-json.h"

#include "models/sip/multipart.h"

#include <openssl/evp.h>

namespace sipbed
{
namespace
{

using nlohmann::json;

// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
// above U+10FFFF) without control characters other than CR, LF and HTAB.
bool
IsPrintableUtf8(std::string_view s)
{
    auto byte = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
    for (size_t i = 0; i < s.size();)
    {
        unsigned char c = byte(i);
        if (c < 0x80)
        {
            if ((c < 0x20 && c != '\r' && c != '\n' && c != '\t') || c == 0x7f)
            {
                return false;
            }
            ++i;
            continue;
        }
        size_t n = 0;
        unsigned char lo = 0x80; // allowed range of the second byte
        unsigned char hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf)
        {
            n = 1;
        }
        else if (c >= 0xe0 && c <= 0xef)
        {
            n = 2;
            lo = c == 0xe0 ? 0xa0 : 0x80;
            hi = c == 0xed ? 0x9f : 0xbf;
        }
        else if (c >= 0xf0 && c <= 0xf4)
        {
            n = 3;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf;
        }
        else
        {
            return false;
        }
        if (i + n >= s.size() || byte(i + 1) < lo || byte(i + 1) > hi)
        {
            return false;
        }
        for (size_t k = 2; k <= n; ++k)
        {
            if ((byte(i + k) & 0xc0) != 0x80)
            {
                return false;
            }
        }
        i += n + 1;
    }
    return true;
}

std::string
Base64(std::string_view data)
{
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(data.data()),
                            static_cast<int>(data.size()));
    out.resize(n > 0 ? static_cast<size_t>(n) : 0);
    return out;
}

// Text headers may hold arbitrary octets (RFC 4475 intmeth); JSON strings must be UTF-8.
json
TextToJson(std::string_view s)
{
    if (IsPrintableUtf8(s))
    {
        return std::string(s);
    }
    return json{{"base64", Base64(s)}};
}

json
ParamsToJson(const ParamList& params)
{
    json out = json::object();
    params.ForEach([&](const Param& p) {
        std::string name(p.name);
        if (!p.hasValue)
        {
            out[name] = nullptr;
        }
        else
        {
            out[name] = TextToJson(*params.GetDecoded(p.name));
        }
        return true;
    });
    return out;
}

json
BodyToJson(std::string_view body)
{
    json b = {{"length", body.size()}};
    if (IsPrintableUtf8(body))
    {
        b["text"] = std::string(body);
    }
    else
    {
        b["base64"] = Base64(body);
    }
    return b;
}

json
NameAddrToJson(const NameAddr& na)
{
    json j = {{"uri", ToJson(na.GetUri())}, {"params", ParamsToJson(na.GetParams())}};
    if (!na.GetDisplayNameRaw().empty())
    {
        j["display_name"] = TextToJson(na.GetDisplayName());
    }
    return j;
}

template <class T, class F>
json
ListToJson(std::string_view value, F toJson)
{
    json arr = json::array();
    text::Scanner s(value);
    for (;;)
    {
        s.SkipSws();
        if (s.AtEnd())
        {
            break;
        }
        auto r = T::ParseOne(s);
        if (!r)
        {
            break;
        }
        arr.push_back(toJson(r.GetValue()));
        s.SkipSws();
        if (!s.Consume(','))
        {
            break;
        }
    }
    return arr;
}

json
HeadersToJson(const std::vector<HeaderField>& headers)
{
    json arr = json::array();
    for (const HeaderField& h : headers)
    {
        json j = {{"name", h.id == HeaderId::kUnknown ? TextToJson(h.name)
                                                      : json(GetHeaderInfo(h.id).name)},
                  {"value", TextToJson(RenderHeaderValue(h.id, h.value))}};
        json parsed = HeaderValueToJson(h);
        if (!parsed.is_null())
        {
            j["parsed"] = parsed;
        }
        arr.push_back(j);
    }
    return arr;
}

json
PartsToJson(const std::vector<BodyPart>& parts)
{
    json arr = json::array();
    for (const BodyPart& p : parts)
    {
        json j = {{"headers", HeadersToJson(p.headers)}, {"body", BodyToJson(p.body)}};
        auto ct = p.GetContentType();
        if (ct && text::IEquals(ct->type, "multipart"))
        {
            if (auto boundary = ct->params.GetDecoded("boundary"))
            {
                auto inner = ParseMultipart(p.body, *boundary);
                if (inner)
                {
                    j["parts"] = PartsToJson(inner.GetValue());
                }
                else
                {
                    j["parts_error"] = TextToJson(inner.GetError().ToString());
                }
            }
        }
        arr.push_back(j);
    }
    return arr;
}

} // namespace

json
ToJson(const SipUri& u)
{
    json j = {{"raw", TextToJson(u.GetRaw())}, {"scheme", TextToJson(u.GetSchemeText())}};
    switch (u.GetScheme())
    {
    case SipUri::Scheme::kSip:
    case SipUri::Scheme::kSips:
        if (!u.GetUser().empty())
        {
            j["user"] = TextToJson(u.GetUserUnescaped());
        }
        if (u.HasPassword())
        {
            j["password"] = TextToJson(text::Unescape(u.GetPassword()));
        }
        j["host"] = TextToJson(u.GetHost());
        if (u.GetPort() >= 0)
        {
            j["port"] = u.GetPort();
        }
        j["params"] = ParamsToJson(u.GetParams());
        if (!u.GetHeaders().empty())
        {
            j["headers"] = TextToJson(u.GetHeaders());
        }
        break;
    case SipUri::Scheme::kTel:
        j["number"] = TextToJson(u.GetUser());
        j["params"] = ParamsToJson(u.GetParams());
        break;
    case SipUri::Scheme::kOther:
        j["opaque"] = TextToJson(u.GetOpaque());
        break;
    }
    return j;
}

json
HeaderValueToJson(const HeaderField& h)
{
    const HeaderInfo& info = GetHeaderInfo(h.id);
    switch (info.kind)
    {
    case ValueKind::kText:
        if (h.id == HeaderId::kDate)
        {
            auto t = ParseSipDate(h.value);
            return t ? json{{"epoch_s", *t}} : json{{"valid", false}};
        }
        if (h.id == HeaderId::kIdentity)
        {
            return json{{"signature", TextToJson(GetIdentitySignature(h.value))}};
        }
        return nullptr;
    case ValueKind::kVia:
        return ListToJson<Via>(h.value, [](const Via& v) {
            json j = {{"protocol",
                       std::string(v.GetProtocolName()) + "/" + std::string(v.GetProtocolVersion())},
                      {"transport", std::string(v.GetTransport())},
                      {"host", std::string(v.GetHost())},
                      {"params", ParamsToJson(v.GetParams())}};
            if (v.GetPort() >= 0)
            {
                j["port"] = v.GetPort();
            }
            return j;
        });
    case ValueKind::kNameAddr:
        if (info.list)
        {
            return ListToJson<NameAddr>(h.value, NameAddrToJson);
        }
        if (auto na = NameAddr::Parse(h.value))
        {
            return NameAddrToJson(na.GetValue());
        }
        return nullptr;
    case ValueKind::kContact:
        return ListToJson<ContactValue>(h.value, [](const ContactValue& c) {
            return c.IsStar() ? json{{"star", true}} : NameAddrToJson(c.GetAddress());
        });
    case ValueKind::kCallId:
        return TextToJson(text::Trim(h.value));
    case ValueKind::kCSeq:
        if (auto c = CSeqValue::Parse(h.value))
        {
            return json{{"seq", c.GetValue().seq}, {"method", std::string(c.GetValue().method)}};
        }
        return nullptr;
    case ValueKind::kMaxForwards:
    case ValueKind::kDeltaSeconds:
    case ValueKind::kContentLength: {
        uint64_t n = 0;
        if (text::ParseUint(text::Trim(h.value), 0xffffffffULL, n))
        {
            return n;
        }
        return nullptr;
    }
    case ValueKind::kMediaType: {
        auto toJson = [](const MediaType& m) {
            return json{{"type", std::string(m.type)},
                        {"subtype", std::string(m.subtype)},
                        {"params", ParamsToJson(m.params)}};
        };
        if (info.list)
        {
            return ListToJson<MediaType>(h.value, toJson);
        }
        if (auto m = MediaType::Parse(h.value))
        {
            return toJson(m.GetValue());
        }
        return nullptr;
    }
    case ValueKind::kRetryAfter:
        if (auto r = RetryAfterValue::Parse(h.value))
        {
            json j = {{"seconds", r.GetValue().seconds},
                      {"params", ParamsToJson(r.GetValue().params)}};
            if (!r.GetValue().comment.empty())
            {
                j["comment"] = TextToJson(r.GetValue().GetComment());
            }
            return j;
        }
        return nullptr;
    case ValueKind::kOptionTag: {
        json arr = json::array();
        text::Scanner s(h.value);
        for (;;)
        {
            s.SkipSws();
            std::string_view t = s.ReadToken();
            if (t.empty())
            {
                break;
            }
            arr.push_back(std::string(t));
            if (!s.ConsumeSeparator(','))
            {
                break;
            }
        }
        return arr;
    }
    case ValueKind::kAuth:
        if (auto a = AuthValue::Parse(h.value))
        {
            json params = json::object();
            a.GetValue().ForEach([&](std::string_view n, std::string_view) {
                params[std::string(n)] = TextToJson(*a.GetValue().GetDecoded(n));
                return true;
            });
            return json{{"scheme", std::string(a.GetValue().GetScheme())}, {"params", params}};
        }
        return nullptr;
    case ValueKind::kTokenParams:
    case ValueKind::kToken:
    case ValueKind::kTargetDialog:
        if (auto t = TokenParamsValue::Parse(h.value, info.kind == ValueKind::kTargetDialog))
        {
            return json{{"value", TextToJson(t.GetValue().value)},
                        {"params", ParamsToJson(t.GetValue().params)}};
        }
        return nullptr;
    case ValueKind::kIdentityInfo:
        if (auto i = IdentityInfoValue::Parse(h.value))
        {
            return json{{"uri", ToJson(i.GetValue().uri)},
                        {"params", ParamsToJson(i.GetValue().params)}};
        }
        return nullptr;
    }
    return nullptr;
}

json
ToJson(const SipMessage& m)
{
    json j;
    if (m.IsRequest())
    {
        j["kind"] = "request";
        j["method"] = TextToJson(m.GetMethod());
        j["request_uri"] = ToJson(m.GetRequestUri());
    }
    else
    {
        j["kind"] = "response";
        j["status"] = m.GetStatusCode();
        j["reason"] = TextToJson(m.GetReasonPhrase());
    }
    j["version"] = std::string(m.GetVersion());
    j["headers"] = HeadersToJson(m.GetHeaders());
    j["body"] = BodyToJson(m.GetBody());
    auto ct = m.GetContentType();
    if (ct && text::IEquals(ct->type, "multipart"))
    {
        auto parts = ParseMultipart(m);
        if (parts)
        {
            j["parts"] = PartsToJson(parts.GetValue());
        }
        else
        {
            j["parts_error"] = TextToJson(parts.GetError().ToString());
        }
    }
    return j;
}

} // namespace sipbed
