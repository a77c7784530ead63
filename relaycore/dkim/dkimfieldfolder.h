// Writing a signature header field (DKIM-Signature, ARC-Message-Signature,
// ARC-Seal) folded at 76 columns (RFC 5322 §2.1.1 says SHOULD be at most 78;
// we stay under): whole tags move to the next line, base64 may be broken
// anywhere (FWS is allowed inside it, RFC 6376 §3.5).
#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace mailroute {

class DkimFieldFolder
{
public:
    static constexpr int maxLine = 76;

    // `start`: the field name with its colon and what follows on the first line.
    explicit DkimFieldFolder(QByteArrayView start) : m_out(start.toByteArray()), m_column(int(start.size()))
    {}

    // An unbreakable piece, after one SP when it stays on the same line.
    void word(QByteArrayView w, bool spaceBefore)
    {
        const int need = int(w.size()) + (spaceBefore ? 1 : 0);
        if (m_column + need > maxLine && m_column > 1) {
            m_out.append("\r\n ");
            m_column = 1;
        } else if (spaceBefore) {
            m_out.append(' ');
            ++m_column;
        }
        m_out.append(w);
        m_column += int(w.size());
    }

    // Base64: broken wherever the line is full.
    void breakable(QByteArrayView text)
    {
        while (!text.isEmpty()) {
            int room = maxLine - m_column;
            if (room <= 0) {
                m_out.append("\r\n ");
                m_column = 1;
                room = maxLine - 1;
            }
            const qsizetype take = qMin<qsizetype>(room, text.size());
            m_out.append(text.first(take));
            m_column += int(take);
            text = text.sliced(take);
        }
    }

    const QByteArray &text() const { return m_out; }

private:
    QByteArray m_out;
    int m_column;
};

} // namespace mailroute
