// An RFC 3463 enhanced status code ("5.1.1") and how to get one from an SMTP
// reply (RFC 5321 §4.2, RFC 2034 §4). Used by delivery to classify a reply
// and by the DSN builder for the Status field (RFC 3464 §2.3.4). Pure value
// type, any thread.
#pragma once

#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <optional>

namespace mailroute {

class DsnStatus final
{
public:
    DsnStatus() = default;
    DsnStatus(int statusClass, int subject, int detail)
        : m_class(statusClass), m_subject(subject), m_detail(detail)
    {}

    // RFC 3463 §2: class is 2, 4 or 5; subject and detail 0..999.
    bool isValid() const;
    bool isSuccess() const { return m_class == 2; }
    bool isTransient() const { return m_class == 4; }
    bool isPermanent() const { return m_class == 5; }
    int statusClass() const { return m_class; }
    int subject() const { return m_subject; }
    int detail() const { return m_detail; }

    QString toString() const; // "5.1.1"; empty when invalid

    // Exactly "class.subject.detail", nothing around it.
    static std::optional<DsnStatus> parse(QStringView text);

    // The status an SMTP reply stands for: its enhanced code when it has
    // one whose class matches the reply code's first digit (RFC 2034 §4),
    // otherwise one derived from the reply code. `reply` may hold several
    // lines ("550-...CRLF550 ..."); the last one counts. nullopt when the
    // text does not start with a reply code 2xx, 4xx or 5xx.
    static std::optional<DsnStatus> fromSmtpReply(QByteArrayView reply);
    // The same from an already split reply (code and the text after it).
    static DsnStatus fromSmtpReply(int code, QStringView text);
    // The status for a reply code without an enhanced code: the specific
    // RFC 3463 code where the reply code has one meaning, X.0.0 otherwise.
    static DsnStatus fromReplyCode(int code);

    bool operator==(const DsnStatus &o) const
    {
        return m_class == o.m_class && m_subject == o.m_subject && m_detail == o.m_detail;
    }
    bool operator!=(const DsnStatus &o) const { return !(*this == o); }

private:
    int m_class = 0;
    int m_subject = 0;
    int m_detail = 0;
};

} // namespace mailroute
