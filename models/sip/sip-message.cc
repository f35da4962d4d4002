#include "models/sip/sip-message.h"

namespace sipbed
{
namespace
{

// Reads `item (COMMA item)*` with a typed reader; the grammar's own list form.
template <class Reader>
std::optional<ParseError>
ValidateList(std::string_view value, Reader read)
{
    text::Scanner s(value);
    s.SkipSws();
    if (s.AtEnd())
    {
        return MakeError("empty value");
    }
    for (;;)
    {
        if (auto err = read(s))
        {
            return err;
        }
        s.SkipSws();
        if (s.AtEnd())
        {
            return std::nullopt;
        }
        if (!s.Consume(','))
        {
            return MakeError(std::string("unexpected character '") + s.Peek() +
                             "' after a value (expected ',' or the end)");
        }
        s.SkipSws();
        if (s.AtEnd() || s.Peek() == ',')
        {
            return MakeError("empty item in a comma-separated list");
        }
    }
}

template <class T>
std::optional<ParseError>
ReadWith(text::Scanner& s)
{
    auto r = T::ParseOne(s);
    if (!r)
    {
        return r.GetError();
    }
    return std::nullopt;
}

std::optional<ParseError>
ValidateUint(std::string_view value, uint64_t max, const char* what)
{
    uint64_t n = 0;
    if (!text::ParseUint(text::Trim(value), max, n))
    {
        return MakeError(std::string(what));
    }
    return std::nullopt;
}

template <class R>
std::optional<ParseError>
ErrorOf(const R& r)
{
    if (r)
    {
        return std::nullopt;
    }
    return r.GetError();
}

} // namespace

std::optional<ParseError>
ValidateHeaderValue(HeaderId id, std::string_view value)
{
    const HeaderInfo& info = GetHeaderInfo(id);
    switch (info.kind)
    {
    case ValueKind::kText:
        return std::nullopt;
    case ValueKind::kVia:
        return ValidateList(value, ReadWith<Via>);
    case ValueKind::kNameAddr:
        if (info.list)
        {
            return ValidateList(value, ReadWith<NameAddr>);
        }
        return ErrorOf(NameAddr::Parse(value));
    case ValueKind::kContact: {
        // RFC 3261 20.10: "*" stands alone.
        size_t items = 0;
        bool star = false;
        auto err = ValidateList(value, [&](text::Scanner& s) -> std::optional<ParseError> {
            auto c = ContactValue::ParseOne(s);
            if (!c)
            {
                return c.GetError();
            }
            ++items;
            star = star || c.GetValue().IsStar();
            return std::nullopt;
        });
        if (!err && star && items > 1)
        {
            return MakeError("'*' must be the only Contact value");
        }
        return err;
    }
    case ValueKind::kCallId:
        if (!IsValidCallId(value))
        {
            return MakeError("Call-ID must be word[@word] without white space");
        }
        return std::nullopt;
    case ValueKind::kCSeq:
        return ErrorOf(CSeqValue::Parse(value));
    case ValueKind::kMaxForwards:
        return ValidateUint(value, 255, "Max-Forwards must be a number from 0 to 255");
    case ValueKind::kDeltaSeconds:
        return ValidateUint(value, 0xffffffffULL, "value must be delta-seconds below 2^32");
    case ValueKind::kContentLength:
        return ValidateUint(value, 0xffffffffULL, "Content-Length must be a non-negative number");
    case ValueKind::kMediaType:
        if (info.list)
        {
            // Accept may be empty (RFC 3261 20.1).
            if (text::Trim(value).empty())
            {
                return std::nullopt;
            }
            return ValidateList(value, ReadWith<MediaType>);
        }
        return ErrorOf(MediaType::Parse(value));
    case ValueKind::kRetryAfter:
        return ErrorOf(RetryAfterValue::Parse(value));
    case ValueKind::kOptionTag:
        if (text::Trim(value).empty())
        {
            // Supported = [option-tag *(COMMA option-tag)]; Require,
            // Proxy-Require and Unsupported need one tag (RFC 3261 25.1).
            if (id == HeaderId::kSupported)
            {
                return std::nullopt;
            }
            return MakeError("at least one option tag is required");
        }
        return ValidateList(value, [](text::Scanner& s) -> std::optional<ParseError> {
            if (s.ReadToken().empty())
            {
                return MakeError("option tags must be tokens");
            }
            return std::nullopt;
        });
    case ValueKind::kAuth:
        return ErrorOf(AuthValue::Parse(value));
    case ValueKind::kTokenParams: {
        auto t = TokenParamsValue::Parse(value);
        // RFC 4488 4: refer-sub-value = "true" / "false"
        if (t && id == HeaderId::kReferSub && !text::IEquals(t.GetValue().value, "true") &&
            !text::IEquals(t.GetValue().value, "false"))
        {
            return MakeError("Refer-Sub must be true or false");
        }
        return ErrorOf(t);
    }
    case ValueKind::kToken: {
        auto t = TokenParamsValue::Parse(value);
        if (!t || !t.GetValue().params.Empty())
        {
            return MakeError("value must be a single token");
        }
        return std::nullopt;
    }
    case ValueKind::kTargetDialog:
        return ErrorOf(TokenParamsValue::Parse(value, true));
    case ValueKind::kIdentityInfo:
        return ErrorOf(IdentityInfoValue::Parse(value));
    }
    return std::nullopt;
}

SipMessage::SipMessage()
    : m_storage(std::make_shared<Storage>())
{
}

std::string_view
SipMessage::Keep(std::string s)
{
    m_storage->owned.push_front(std::move(s));
    return m_storage->owned.front();
}

Result<SipMessage>
SipMessage::MakeRequest(std::string_view method, std::string_view requestUri)
{
    SipMessage m;
    if (method.empty() || !IsValidOptionTag(method))
    {
        return MakeError("method must be a token");
    }
    m.m_isRequest = true;
    m.m_method = m.Keep(std::string(method));
    auto r = m.SetRequestUri(requestUri);
    if (!r)
    {
        return r.GetError();
    }
    return m;
}

Result<SipMessage>
SipMessage::MakeResponse(int code, std::string_view reason)
{
    SipMessage m;
    m.m_isRequest = false;
    auto r = m.SetStatus(code, reason);
    if (!r)
    {
        return r.GetError();
    }
    return m;
}

Result<size_t>
SipMessage::SetRequestUri(std::string_view uri)
{
    std::string_view kept = Keep(std::string(uri));
    auto u = SipUri::Parse(kept, SipUri::Context::kRequestUri);
    if (!u)
    {
        return u.GetError();
    }
    m_requestUri = u.GetValue();
    return size_t{0};
}

Result<size_t>
SipMessage::SetStatus(int code, std::string_view reason)
{
    if (code < 100 || code > 699)
    {
        return MakeError("status code must be from 100 to 699");
    }
    for (char c : reason)
    {
        if (c == '\r' || c == '\n')
        {
            return MakeError("reason phrase must be one line");
        }
    }
    m_status = code;
    m_reason = Keep(std::string(reason));
    return size_t{0};
}

const HeaderField*
FindHeaderIn(const std::vector<HeaderField>& headers, HeaderId id)
{
    for (const HeaderField& h : headers)
    {
        if (h.id == id)
        {
            return &h;
        }
    }
    return nullptr;
}

const HeaderField*
SipMessage::FindHeader(HeaderId id) const
{
    return FindHeaderIn(m_headers, id);
}

const HeaderField*
SipMessage::FindHeader(std::string_view name) const
{
    HeaderId id = LookupHeader(name);
    if (id != HeaderId::kUnknown)
    {
        return FindHeader(id);
    }
    for (const HeaderField& h : m_headers)
    {
        if (h.id == HeaderId::kUnknown && text::IEquals(h.name, name))
        {
            return &h;
        }
    }
    return nullptr;
}

size_t
SipMessage::CountHeaders(HeaderId id) const
{
    size_t n = 0;
    for (const HeaderField& h : m_headers)
    {
        n += h.id == id;
    }
    return n;
}

bool
SipMessage::NextListItem(std::string_view value, size_t& pos, std::string_view& item)
{
    while (pos < value.size())
    {
        size_t start = pos;
        bool quoted = false;
        bool angle = false;
        for (; pos < value.size(); ++pos)
        {
            char c = value[pos];
            if (quoted)
            {
                if (c == '\\')
                {
                    ++pos;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == '<')
            {
                angle = true;
            }
            else if (c == '>')
            {
                angle = false;
            }
            else if (c == ',' && !angle)
            {
                break;
            }
        }
        size_t end = pos < value.size() ? pos : value.size();
        item = text::Trim(value.substr(start, end - start));
        if (pos < value.size())
        {
            ++pos; // past the comma
        }
        if (!item.empty())
        {
            return true;
        }
    }
    return false;
}

std::vector<std::string_view>
SipMessage::GetValues(HeaderId id) const
{
    std::vector<std::string_view> out;
    ForEachValue(id, [&](std::string_view v) {
        out.push_back(v);
        return true;
    });
    return out;
}

size_t
SipMessage::CountValues(HeaderId id) const
{
    size_t n = 0;
    ForEachValue(id, [&](std::string_view) {
        ++n;
        return true;
    });
    return n;
}

namespace
{

template <class T>
std::optional<T>
ParseItem(std::string_view v)
{
    text::Scanner s(v);
    auto r = T::ParseOne(s);
    if (!r)
    {
        return std::nullopt;
    }
    return r.GetValue();
}

} // namespace

std::optional<Via>
SipMessage::GetTopVia() const
{
    std::optional<Via> via;
    ForEachValue(HeaderId::kVia, [&](std::string_view v) {
        via = ParseItem<Via>(v);
        return false;
    });
    return via;
}

std::vector<Via>
SipMessage::GetVias() const
{
    std::vector<Via> out;
    ForEachValue(HeaderId::kVia, [&](std::string_view v) {
        if (auto via = ParseItem<Via>(v))
        {
            out.push_back(*via);
        }
        return true;
    });
    return out;
}

std::optional<NameAddr>
SipMessage::GetNameAddr(HeaderId id) const
{
    return ParseFirst<NameAddr>(m_headers, id);
}

std::vector<NameAddr>
SipMessage::GetNameAddrs(HeaderId id) const
{
    std::vector<NameAddr> out;
    ForEachValue(id, [&](std::string_view v) {
        if (auto na = ParseItem<NameAddr>(v))
        {
            out.push_back(*na);
        }
        return true;
    });
    return out;
}

std::vector<ContactValue>
SipMessage::GetContacts() const
{
    std::vector<ContactValue> out;
    ForEachValue(HeaderId::kContact, [&](std::string_view v) {
        if (auto c = ParseItem<ContactValue>(v))
        {
            out.push_back(*c);
        }
        return true;
    });
    return out;
}

std::optional<std::string_view>
SipMessage::GetCallId() const
{
    const HeaderField* h = FindHeader(HeaderId::kCallId);
    if (!h)
    {
        return std::nullopt;
    }
    return text::Trim(h->value);
}

std::optional<CSeqValue>
SipMessage::GetCSeq() const
{
    return ParseFirst<CSeqValue>(m_headers, HeaderId::kCSeq);
}

std::optional<uint32_t>
SipMessage::GetUint(HeaderId id) const
{
    const HeaderField* h = FindHeader(id);
    uint64_t n = 0;
    if (!h || !text::ParseUint(text::Trim(h->value), 0xffffffffULL, n))
    {
        return std::nullopt;
    }
    return static_cast<uint32_t>(n);
}

std::optional<MediaType>
SipMessage::GetContentType() const
{
    return ParseFirst<MediaType>(m_headers, HeaderId::kContentType);
}

std::vector<MediaType>
SipMessage::GetAccept() const
{
    std::vector<MediaType> out;
    ForEachValue(HeaderId::kAccept, [&](std::string_view v) {
        if (auto m = ParseItem<MediaType>(v))
        {
            out.push_back(*m);
        }
        return true;
    });
    return out;
}

std::optional<RetryAfterValue>
SipMessage::GetRetryAfter() const
{
    return ParseFirst<RetryAfterValue>(m_headers, HeaderId::kRetryAfter);
}

std::vector<std::string_view>
SipMessage::GetOptionTags(HeaderId id) const
{
    return GetValues(id);
}

std::vector<AuthValue>
SipMessage::GetAuth(HeaderId id) const
{
    std::vector<AuthValue> out;
    for (const HeaderField& h : m_headers)
    {
        if (h.id == id)
        {
            auto r = AuthValue::Parse(h.value);
            if (r)
            {
                out.push_back(r.GetValue());
            }
        }
    }
    return out;
}

std::optional<TokenParamsValue>
SipMessage::GetTokenParams(HeaderId id) const
{
    const HeaderField* h = FindHeader(id);
    if (!h)
    {
        return std::nullopt;
    }
    auto r = TokenParamsValue::Parse(h->value, id == HeaderId::kTargetDialog);
    if (!r)
    {
        return std::nullopt;
    }
    return r.GetValue();
}

std::optional<std::string_view>
SipMessage::GetToken(HeaderId id) const
{
    const HeaderField* h = FindHeader(id);
    if (!h)
    {
        return std::nullopt;
    }
    return text::Trim(h->value);
}

std::optional<IdentityInfoValue>
SipMessage::GetIdentityInfo() const
{
    return ParseFirst<IdentityInfoValue>(m_headers, HeaderId::kIdentityInfo);
}

std::optional<int64_t>
SipMessage::GetDate() const
{
    const HeaderField* h = FindHeader(HeaderId::kDate);
    if (!h)
    {
        return std::nullopt;
    }
    return ParseSipDate(h->value);
}

std::optional<std::string>
SipMessage::GetIdentity() const
{
    const HeaderField* h = FindHeader(HeaderId::kIdentity);
    if (!h)
    {
        return std::nullopt;
    }
    return GetIdentitySignature(h->value);
}

Result<HeaderField>
SipMessage::MakeField(std::string_view name, std::string_view value)
{
    name = text::Trim(name);
    if (name.empty())
    {
        return MakeError("empty header name");
    }
    for (char c : name)
    {
        if (!text::IsTokenChar(c))
        {
            return MakeError(std::string("invalid character '") + c + "' in header name");
        }
    }
    HeaderField h;
    h.id = LookupHeader(name);
    value = text::Trim(value);
    // A value set in code must stay one header line: no bare line breaks.
    for (size_t i = 0; i < value.size(); ++i)
    {
        if ((value[i] == '\r' || value[i] == '\n') &&
            !(value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n') &&
            !(i + 1 < value.size() && text::IsWsp(value[i + 1])))
        {
            return MakeError("line break in a header value");
        }
    }
    if (auto err = ValidateHeaderValue(h.id, value))
    {
        err->header = std::string(name);
        return *err;
    }
    h.name = h.id == HeaderId::kUnknown ? Keep(std::string(name)) : GetHeaderInfo(h.id).name;
    h.value = Keep(std::string(value));
    return h;
}

Result<size_t>
SipMessage::AddHeader(std::string_view name, std::string_view value)
{
    auto f = MakeField(name, value);
    if (!f)
    {
        return f.GetError();
    }
    m_headers.push_back(f.GetValue());
    return m_headers.size() - 1;
}

Result<size_t>
SipMessage::PrependHeader(std::string_view name, std::string_view value)
{
    auto f = MakeField(name, value);
    if (!f)
    {
        return f.GetError();
    }
    const HeaderField& nf = f.GetValue();
    size_t pos = 0;
    for (size_t i = 0; i < m_headers.size(); ++i)
    {
        const HeaderField& h = m_headers[i];
        if ((nf.id != HeaderId::kUnknown && h.id == nf.id) ||
            (nf.id == HeaderId::kUnknown && h.id == HeaderId::kUnknown &&
             text::IEquals(h.name, nf.name)))
        {
            pos = i;
            break;
        }
    }
    m_headers.insert(m_headers.begin() + static_cast<std::ptrdiff_t>(pos), nf);
    return pos;
}

Result<size_t>
SipMessage::SetHeader(std::string_view name, std::string_view value)
{
    auto f = MakeField(name, value);
    if (!f)
    {
        return f.GetError();
    }
    const HeaderField& nf = f.GetValue();
    auto same = [&](const HeaderField& h) {
        return nf.id != HeaderId::kUnknown
                   ? h.id == nf.id
                   : (h.id == HeaderId::kUnknown && text::IEquals(h.name, nf.name));
    };
    size_t pos = m_headers.size();
    std::vector<HeaderField> kept;
    kept.reserve(m_headers.size() + 1);
    for (const HeaderField& h : m_headers)
    {
        if (same(h))
        {
            if (pos == m_headers.size())
            {
                pos = kept.size();
                kept.push_back(nf);
            }
            continue;
        }
        kept.push_back(h);
    }
    if (pos == m_headers.size())
    {
        pos = kept.size();
        kept.push_back(nf);
    }
    m_headers.swap(kept);
    return pos;
}

size_t
SipMessage::RemoveHeaders(HeaderId id)
{
    size_t before = m_headers.size();
    std::vector<HeaderField> kept;
    kept.reserve(before);
    for (const HeaderField& h : m_headers)
    {
        if (h.id != id)
        {
            kept.push_back(h);
        }
    }
    m_headers.swap(kept);
    return before - m_headers.size();
}

size_t
SipMessage::RemoveHeaders(std::string_view name)
{
    HeaderId id = LookupHeader(name);
    if (id != HeaderId::kUnknown)
    {
        return RemoveHeaders(id);
    }
    size_t before = m_headers.size();
    std::vector<HeaderField> kept;
    for (const HeaderField& h : m_headers)
    {
        if (!(h.id == HeaderId::kUnknown && text::IEquals(h.name, name)))
        {
            kept.push_back(h);
        }
    }
    m_headers.swap(kept);
    return before - m_headers.size();
}

bool
SipMessage::RemoveFirstValue(HeaderId id)
{
    for (size_t i = 0; i < m_headers.size(); ++i)
    {
        HeaderField& h = m_headers[i];
        if (h.id != id)
        {
            continue;
        }
        size_t pos = 0;
        std::string_view first;
        if (!GetHeaderInfo(id).list || !NextListItem(h.value, pos, first))
        {
            m_headers.erase(m_headers.begin() + static_cast<std::ptrdiff_t>(i));
            return true;
        }
        std::string_view rest = text::Trim(h.value.substr(pos));
        if (rest.empty())
        {
            m_headers.erase(m_headers.begin() + static_cast<std::ptrdiff_t>(i));
        }
        else
        {
            h.value = rest; // still a view into the same text
        }
        return true;
    }
    return false;
}

void
SipMessage::SetBody(std::string_view body)
{
    m_body = Keep(std::string(body));
}

std::string
RenderHeaderValue(HeaderId id, std::string_view value)
{
    std::string out;
    RenderHeaderValue(id, value, out);
    return out;
}

void
RenderHeaderValue(HeaderId id, std::string_view value, std::string& out)
{
    const HeaderInfo& info = GetHeaderInfo(id);
    const HeaderField h{id, info.name, value, 0};
    auto joinItems = [&](auto renderItem) {
        bool first = true;
        size_t pos = 0;
        std::string_view item;
        while (SipMessage::NextListItem(h.value, pos, item))
        {
            if (!first)
            {
                out.append(", ");
            }
            first = false;
            renderItem(item);
        }
    };
    switch (info.kind)
    {
    case ValueKind::kVia:
        joinItems([&](std::string_view v) {
            if (auto via = ParseItem<Via>(v))
            {
                via->Render(out);
            }
        });
        return;
    case ValueKind::kNameAddr:
        if (info.list)
        {
            joinItems([&](std::string_view v) {
                if (auto na = ParseItem<NameAddr>(v))
                {
                    na->Render(out);
                }
            });
            return;
        }
        if (auto na = NameAddr::Parse(h.value))
        {
            na.GetValue().Render(out);
            return;
        }
        break;
    case ValueKind::kContact:
        joinItems([&](std::string_view v) {
            if (auto c = ParseItem<ContactValue>(v))
            {
                c->Render(out);
            }
        });
        return;
    case ValueKind::kCSeq:
        if (auto c = CSeqValue::Parse(h.value))
        {
            c.GetValue().Render(out);
            return;
        }
        break;
    case ValueKind::kMaxForwards:
    case ValueKind::kDeltaSeconds:
    case ValueKind::kContentLength: {
        uint64_t n = 0;
        if (text::ParseUint(text::Trim(h.value), 0xffffffffULL, n))
        {
            out.append(std::to_string(n));
            return;
        }
        break;
    }
    case ValueKind::kMediaType:
        if (info.list)
        {
            joinItems([&](std::string_view v) {
                if (auto m = ParseItem<MediaType>(v))
                {
                    m->Render(out);
                }
            });
            return;
        }
        if (auto m = MediaType::Parse(h.value))
        {
            m.GetValue().Render(out);
            return;
        }
        break;
    case ValueKind::kRetryAfter:
        if (auto r = RetryAfterValue::Parse(h.value))
        {
            r.GetValue().Render(out);
            return;
        }
        break;
    case ValueKind::kOptionTag:
        joinItems([&](std::string_view v) { out.append(v); });
        return;
    case ValueKind::kAuth:
        if (auto a = AuthValue::Parse(h.value))
        {
            a.GetValue().Render(out);
            return;
        }
        break;
    case ValueKind::kTokenParams:
    case ValueKind::kToken:
    case ValueKind::kTargetDialog:
        if (auto t = TokenParamsValue::Parse(h.value, info.kind == ValueKind::kTargetDialog))
        {
            t.GetValue().Render(out);
            return;
        }
        break;
    case ValueKind::kIdentityInfo:
        if (auto i = IdentityInfoValue::Parse(h.value))
        {
            i.GetValue().Render(out);
            return;
        }
        break;
    case ValueKind::kCallId:
    case ValueKind::kText:
        break;
    }
    if (text::HasFold(h.value))
    {
        out.append(text::Unfold(h.value));
    }
    else
    {
        out.append(text::Trim(h.value));
    }
}

void
SipMessage::SerializeTo(std::string& out) const
{
    out.reserve(out.size() + 256 + m_body.size());
    if (m_isRequest)
    {
        out.append(m_method);
        out.push_back(' ');
        out.append(m_requestUri.GetRaw());
        out.push_back(' ');
        out.append("SIP/2.0");
    }
    else
    {
        out.append("SIP/2.0 ");
        out.append(std::to_string(m_status));
        out.push_back(' ');
        out.append(m_reason);
    }
    out.append("\r\n");
    bool wroteLength = false;
    for (const HeaderField& h : m_headers)
    {
        if (h.id == HeaderId::kContentLength)
        {
            if (wroteLength)
            {
                continue; // one Content-Length in canonical form
            }
            wroteLength = true;
            out.append("Content-Length: ");
            out.append(std::to_string(m_body.size()));
            out.append("\r\n");
            continue;
        }
        out.append(h.id == HeaderId::kUnknown ? h.name : GetHeaderInfo(h.id).name);
        out.append(": ");
        RenderHeaderValue(h.id, h.value, out);
        out.append("\r\n");
    }
    if (!wroteLength)
    {
        out.append("Content-Length: ");
        out.append(std::to_string(m_body.size()));
        out.append("\r\n");
    }
    out.append("\r\n");
    out.append(m_body);
}

std::string
SipMessage::Serialize() const
{
    std::string out;
    SerializeTo(out);
    return out;
}

bool
SipMessage::operator==(const SipMessage& other) const
{
    if (m_isRequest != other.m_isRequest || m_body != other.m_body)
    {
        return false;
    }
    if (m_isRequest)
    {
        if (m_method != other.m_method || m_requestUri.GetRaw() != other.m_requestUri.GetRaw())
        {
            return false;
        }
    }
    else if (m_status != other.m_status || m_reason != other.m_reason)
    {
        return false;
    }
    auto next = [](const std::vector<HeaderField>& hs, size_t& i) -> const HeaderField* {
        while (i < hs.size() && hs[i].id == HeaderId::kContentLength)
        {
            ++i;
        }
        return i < hs.size() ? &hs[i++] : nullptr;
    };
    size_t i = 0;
    size_t j = 0;
    for (;;)
    {
        const HeaderField* a = next(m_headers, i);
        const HeaderField* b = next(other.m_headers, j);
        if (!a || !b)
        {
            return a == b;
        }
        if (a->id != b->id ||
            (a->id == HeaderId::kUnknown && !text::IEquals(a->name, b->name)) ||
            RenderHeaderValue(a->id, a->value) != RenderHeaderValue(b->id, b->value))
        {
            return false;
        }
    }
}

} // namespace sipbed
