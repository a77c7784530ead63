// The body canonicalization of RFC 6376 §3.4.3 (simple) and §3.4.4 (relaxed)
// over a body that may arrive in pieces: the one walk behind dkimBodyHash(),
// dkimCanonicalBody() (dkimcanonicalization.cpp) and DkimBodyHasher (a large
// message's body read from its file in chunks). Private to relaycore/dkim.
#pragma once

#include "relaycore/dkim/dkimcanonicalization.h"
#include "relaycore/dkim/dkimopenssl.h"

#include <QByteArray>
#include <QByteArrayView>

#include <cstring>

namespace mailroute::dkimbody {

inline bool isWsp(char c)
{
    return c == ' ' || c == '\t';
}

// Feeds canonical body bytes into a SHA-256, honouring the l= limit; counts
// every canonical byte (the body's canonical length).
class LimitedHashSink
{
public:
    explicit LimitedHashSink(qint64 limit) : m_limit(limit) {}
    void add(QByteArrayView bytes)
    {
        if (m_limit < 0)
            m_hash.add(bytes);
        else if (m_total < m_limit)
            m_hash.add(bytes.first(qsizetype(qMin<qint64>(m_limit - m_total, bytes.size()))));
        m_total += bytes.size();
    }
    qint64 total() const { return m_total; }
    QByteArray result() { return m_hash.result(); }

private:
    Sha256 m_hash;
    qint64 m_limit;
    qint64 m_total = 0;
};

// Collects the canonical body.
struct CollectSink
{
    QByteArray out;
    void add(QByteArrayView b) { out.append(b); }
};

// Lines end with CRLF only; empty lines wait until a non-empty one follows
// (so those at the end are dropped); relaxed folds WSP runs into one SP and
// drops WSP at the end of a line. add() the pieces in order, then finish().
template <typename Sink> class Canonicalizer
{
public:
    Canonicalizer(DkimCanonicalization c, Sink &sink) : m_c(c), m_sink(sink) {}

    void add(QByteArrayView piece)
    {
        if (piece.isEmpty())
            return;
        QByteArrayView data = piece;
        if (!m_carry.isEmpty()) {
            // Complete the carried line: up to the first CRLF, which may
            // start with the carry's last CR.
            qsizetype end = -1;
            if (m_carry.endsWith('\r') && data.front() == '\n') {
                end = 1;
            } else {
                const qsizetype at = data.indexOf("\r\n");
                if (at >= 0)
                    end = at + 2;
            }
            if (end < 0) {
                m_carry.append(data);
                return;
            }
            m_carry.append(data.first(end));
            m_carry.chop(2);
            line(m_carry);
            m_carry.clear();
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
                m_carry = QByteArray(d + pos, n - pos);
                return;
            }
            line(QByteArrayView(d + pos, eol - pos));
            pos = eol + 2;
        }
    }

    void finish()
    {
        if (!m_carry.isEmpty()) {
            line(m_carry); // the last line has no CRLF: one is added (§3.4.3, §3.4.4)
            m_carry.clear();
        }
        if (!m_anyLine && m_c == DkimCanonicalization::Simple)
            m_sink.add(crlf()); // §3.4.3: an empty body is one CRLF
    }

private:
    static QByteArrayView crlf() { return QByteArrayView("\r\n", 2); }

    void line(QByteArrayView text)
    {
        if (m_c == DkimCanonicalization::Relaxed) {
            m_scratch.clear();
            qsizetype i = 0;
            while (i < text.size()) {
                if (isWsp(text[i])) {
                    while (i < text.size() && isWsp(text[i]))
                        ++i;
                    if (i < text.size())
                        m_scratch.append(' ');
                } else {
                    const qsizetype start = i;
                    while (i < text.size() && !isWsp(text[i]))
                        ++i;
                    m_scratch.append(text.sliced(start, i - start));
                }
            }
            text = m_scratch;
        }
        if (text.isEmpty()) {
            ++m_pendingEmpty;
            return;
        }
        for (; m_pendingEmpty > 0; --m_pendingEmpty)
            m_sink.add(crlf());
        m_sink.add(text);
        m_sink.add(crlf());
        m_anyLine = true;
    }

    DkimCanonicalization m_c;
    Sink &m_sink;
    qsizetype m_pendingEmpty = 0;
    bool m_anyLine = false;
    QByteArray m_carry; // the start of a line whose CRLF has not arrived
    QByteArray m_scratch;
};

} // namespace mailroute::dkimbody
