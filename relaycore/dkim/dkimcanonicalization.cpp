#include "relaycore/dkim/dkimcanonicalization.h"

#include "relaycore/dkim/dkimopenssl.h"

namespace mailroute {

namespace {

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

// Feeds canonical body bytes into the hash, honouring the l= limit.
class LimitedSink
{
public:
    explicit LimitedSink(qint64 limit) : m_limit(limit) {}
    void add(QByteArrayView bytes)
    {
        if (m_limit >= 0 && m_total < m_limit) {
            const qint64 room = m_limit - m_total;
            m_hash.add(bytes.first(qsizetype(qMin<qint64>(room, bytes.size()))));
        } else if (m_limit < 0) {
            m_hash.add(bytes);
        }
        m_total += bytes.size();
    }
    qint64 total() const { return m_total; }
    QByteArray result() { return m_hash.result(); }

private:
    Sha256 m_hash;
    qint64 m_limit;
    qint64 m_total = 0;
};

// Walks the body line by line (CRLF only), deferring empty lines so that
// the ones at the end are dropped (§3.4.3, §3.4.4).
template <typename Sink> void canonicalizeBody(DkimCanonicalization c, QByteArrayView body, Sink &sink)
{
    static const QByteArray crlf = QByteArrayLiteral("\r\n");
    qsizetype pendingEmpty = 0;
    bool anyLine = false;
    QByteArray scratch;
    qsizetype pos = 0;
    const qsizetype n = body.size();
    const char *d = body.data();
    while (pos < n) {
        qsizetype eol = pos;
        bool found = false;
        while (eol + 1 < n) {
            const void *p = memchr(d + eol, '\r', size_t(n - eol - 1));
            if (!p)
                break;
            eol = static_cast<const char *>(p) - d;
            if (d[eol + 1] == '\n') {
                found = true;
                break;
            }
            ++eol;
        }
        if (!found)
            eol = n; // the last line has no CRLF: one is added (§3.4.3, §3.4.4)
        QByteArrayView line(d + pos, eol - pos);
        pos = found ? eol + 2 : n;
        if (c == DkimCanonicalization::Relaxed) {
            // §3.4.4: WSP at the end of a line is ignored, WSP runs become one SP.
            scratch.clear();
            qsizetype i = 0;
            while (i < line.size()) {
                if (isWsp(line[i])) {
                    while (i < line.size() && isWsp(line[i]))
                        ++i;
                    if (i < line.size())
                        scratch.append(' ');
                } else {
                    const qsizetype start = i;
                    while (i < line.size() && !isWsp(line[i]))
                        ++i;
                    scratch.append(line.sliced(start, i - start));
                }
            }
            line = scratch;
        }
        if (line.isEmpty()) {
            ++pendingEmpty;
            continue;
        }
        for (; pendingEmpty > 0; --pendingEmpty)
            sink.add(crlf);
        sink.add(line);
        sink.add(crlf);
        anyLine = true;
    }
    if (!anyLine && c == DkimCanonicalization::Simple)
        sink.add(crlf); // §3.4.3: an empty body is one CRLF
}

struct CollectSink
{
    QByteArray out;
    void add(QByteArrayView b) { out.append(b); }
};

} // namespace

QByteArray dkimCanonicalHeader(DkimCanonicalization c, QByteArrayView field)
{
    if (c == DkimCanonicalization::Simple)
        return field.toByteArray();
    QByteArray out;
    out.reserve(field.size());
    const qsizetype colon = field.indexOf(':');
    if (colon < 0)
        return field.toByteArray(); // not a field; HeaderSection never hands one out
    // Name: lower case, WSP before the colon removed.
    qsizetype nameEnd = colon;
    while (nameEnd > 0 && isWsp(field[nameEnd - 1]))
        --nameEnd;
    for (qsizetype i = 0; i < nameEnd; ++i)
        out.append(lower(field[i]));
    out.append(':');
    // Value: unfold (drop CRLF), WSP runs to one SP, no WSP at either end.
    bool pendingSpace = false;
    bool started = false;
    for (qsizetype i = colon + 1; i < field.size(); ++i) {
        const char ch = field[i];
        if (ch == '\r' && i + 1 < field.size() && field[i + 1] == '\n') {
            ++i;
            continue;
        }
        if (isWsp(ch)) {
            pendingSpace = started;
            continue;
        }
        if (pendingSpace)
            out.append(' ');
        pendingSpace = false;
        started = true;
        out.append(ch);
    }
    return out;
}

QByteArray dkimBodyHash(DkimCanonicalization c, QByteArrayView body, qint64 limit, qint64 *canonicalLength)
{
    LimitedSink sink(limit);
    canonicalizeBody(c, body, sink);
    if (canonicalLength)
        *canonicalLength = sink.total();
    return sink.result();
}

QByteArray dkimCanonicalBody(DkimCanonicalization c, QByteArrayView body)
{
    CollectSink sink;
    canonicalizeBody(c, body, sink);
    return sink.out;
}

QList<int> dkimSelectFields(const HeaderSection &section, const QList<QByteArray> &names)
{
    const QList<HeaderFieldSpan> &fields = section.fields();
    QList<bool> used(fields.size(), false);
    QList<int> out;
    out.reserve(names.size());
    for (const QByteArray &name : names) {
        int chosen = -1;
        for (qsizetype i = fields.size() - 1; i >= 0; --i) {
            if (!used[i] && section.nameIs(fields[i], name)) {
                chosen = int(i);
                used[i] = true;
                break;
            }
        }
        out.append(chosen);
    }
    return out;
}

QByteArray dkimSignedHeaderData(const HeaderSection &section, const QList<QByteArray> &names,
                                DkimCanonicalization c, QByteArrayView signatureField)
{
    QByteArray out;
    const QByteArray &message = section.message();
    for (int index : dkimSelectFields(section, names)) {
        if (index < 0)
            continue;
        const HeaderFieldSpan &f = section.fields().at(index);
        out.append(dkimCanonicalHeader(c, QByteArrayView(message).sliced(f.begin, f.end - f.begin)));
        out.append("\r\n");
    }
    out.append(dkimCanonicalHeader(c, dkimRemoveSignatureValue(signatureField)));
    return out;
}

QByteArray dkimRemoveSignatureValue(QByteArrayView field)
{
    // Tag specs are separated by ';' (§3.2); the value of the one named "b"
    // runs from after its '=' to the next ';' or the end of the field.
    const qsizetype colon = field.indexOf(':');
    qsizetype start = colon < 0 ? 0 : colon + 1;
    while (start <= field.size()) {
        qsizetype end = field.indexOf(';', start);
        if (end < 0)
            end = field.size();
        qsizetype i = start;
        while (i < end && (isWsp(field[i]) || field[i] == '\r' || field[i] == '\n'))
            ++i;
        if (i < end && field[i] == 'b') {
            qsizetype j = i + 1;
            while (j < end && (isWsp(field[j]) || field[j] == '\r' || field[j] == '\n'))
                ++j;
            if (j < end && field[j] == '=') {
                QByteArray out = field.first(j + 1).toByteArray();
                out.append(field.sliced(end));
                return out;
            }
        }
        start = end + 1;
    }
    return field.toByteArray();
}

} // namespace mailroute
