#include "relaycore/dkim/dkimbodyhasher.h"

#include "relaycore/dkim/dkimopenssl.h"

#include <cstring>

namespace mailroute {

namespace {

bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

const QByteArray kCrlf = QByteArrayLiteral("\r\n");

} // namespace

// The same walk as canonicalizeBody() in dkimcanonicalization.cpp: lines end
// with CRLF only, empty lines wait until a non-empty one follows (so those
// at the end are dropped), relaxed folds WSP runs and drops trailing WSP.
struct DkimBodyHasher::State
{
    DkimCanonicalization c;
    qint64 limit;
    qint64 total = 0;
    Sha256 hash;
    qsizetype pendingEmpty = 0;
    bool anyLine = false;
    QByteArray carry; // the start of a line whose CRLF has not arrived
    QByteArray scratch;

    void put(QByteArrayView bytes)
    {
        if (limit < 0) {
            hash.add(bytes);
        } else if (total < limit) {
            hash.add(bytes.first(qsizetype(qMin<qint64>(limit - total, bytes.size()))));
        }
        total += bytes.size();
    }
};

DkimBodyHasher::DkimBodyHasher(DkimCanonicalization c, qint64 limit) : m_state(std::make_unique<State>())
{
    m_state->c = c;
    m_state->limit = limit;
}

DkimBodyHasher::~DkimBodyHasher() = default;

void DkimBodyHasher::line(QByteArrayView text)
{
    State &s = *m_state;
    if (s.c == DkimCanonicalization::Relaxed) {
        s.scratch.clear();
        qsizetype i = 0;
        while (i < text.size()) {
            if (isWsp(text[i])) {
                while (i < text.size() && isWsp(text[i]))
                    ++i;
                if (i < text.size())
                    s.scratch.append(' ');
            } else {
                const qsizetype start = i;
                while (i < text.size() && !isWsp(text[i]))
                    ++i;
                s.scratch.append(text.sliced(start, i - start));
            }
        }
        text = s.scratch;
    }
    if (text.isEmpty()) {
        ++s.pendingEmpty;
        return;
    }
    for (; s.pendingEmpty > 0; --s.pendingEmpty)
        s.put(kCrlf);
    s.put(text);
    s.put(kCrlf);
    s.anyLine = true;
}

void DkimBodyHasher::add(QByteArrayView piece)
{
    State &s = *m_state;
    if (piece.isEmpty())
        return;
    QByteArrayView data = piece;
    if (!s.carry.isEmpty()) {
        // Complete the carried line: up to the first CRLF, which may start
        // with the carry's last CR.
        qsizetype end = -1;
        if (s.carry.endsWith('\r') && data.front() == '\n') {
            end = 1;
        } else {
            const qsizetype at = data.indexOf("\r\n");
            if (at >= 0)
                end = at + 2;
        }
        if (end < 0) {
            s.carry.append(data);
            return;
        }
        s.carry.append(data.first(end));
        s.carry.chop(2);
        line(s.carry);
        s.carry.clear();
        data = data.sliced(end);
    }
    const char *d = data.data();
    const qsizetype n = data.size();
    qsizetype pos = 0;
    while (pos < n) {
        qsizetype eol = pos;
        bool found = false;
        while (eol + 1 < n) {
            const void *p = std::memchr(d + eol, '\r', size_t(n - eol - 1));
            if (!p)
                break;
            eol = static_cast<const char *>(p) - d;
            if (d[eol + 1] == '\n') {
                found = true;
                break;
            }
            ++eol;
        }
        if (!found) {
            s.carry = QByteArray(d + pos, n - pos);
            return;
        }
        line(QByteArrayView(d + pos, eol - pos));
        pos = eol + 2;
    }
}

QByteArray DkimBodyHasher::finish(qint64 *canonicalLength)
{
    State &s = *m_state;
    if (!s.carry.isEmpty()) {
        line(s.carry); // the last line has no CRLF: one is added (§3.4.3, §3.4.4)
        s.carry.clear();
    }
    if (!s.anyLine && s.c == DkimCanonicalization::Simple)
        s.put(kCrlf); // §3.4.3: an empty body is one CRLF
    if (canonicalLength)
        *canonicalLength = s.total;
    return s.hash.result();
}

} // namespace mailroute
