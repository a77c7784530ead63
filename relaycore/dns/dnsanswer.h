// One DNS answer as a plain value: what a look-up of (name, type) found, told
// apart the way RFC 5321 §5.1 and RFC 7208 §4.6.4 need it — records, no
// records of the type (NODATA), no such name (NXDOMAIN), and a failure that
// says nothing about the name (SERVFAIL or another RCODE, no answer in time,
// a local resolver error). DnsResolver produces it; the readiness checks
// (DnsAnswers), the next-hop resolver and SPF evaluation consume it. Safe to
// copy across threads.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace mailroute {

enum class DnsType { A, AAAA, MX, TXT, PTR };
QString dnsTypeName(DnsType type); // "A", "AAAA", "MX", "TXT", "PTR"
int dnsTypeCode(DnsType type);     // RFC 1035 §3.2.2 / RFC 3596: 1, 28, 15, 16, 12

struct DnsAnswer
{
    enum class Outcome {
        Records,   // NOERROR with records
        NoRecords, // NOERROR without records of this type (NODATA)
        NxDomain,  // the name does not exist
        Failure,   // see `failure`: a temporary error, nothing is known about the name
    };
    // What kind of Failure: callers treat all of them as "cannot tell now";
    // the kind is for the message and the log.
    enum class FailureKind {
        None,
        ServerFailure, // RCODE 2 SERVFAIL (also unbound's own "all servers failed")
        OtherRcode,    // REFUSED, FORMERR, NOTIMP, ...: see `rcode`
        NoAnswer,      // nothing came back within the time-out
        LocalError,    // the resolver itself could not ask (bad configuration, out of memory)
    };
    Outcome outcome = Outcome::Failure;
    FailureKind failure = FailureKind::LocalError;
    int rcode = -1; // the DNS RCODE when a server answered; -1 otherwise
    // A/AAAA: addresses; MX: exchanges (lower case, no trailing dot; "" for a
    // null MX "."); PTR: host names (the same form); TXT: one string per record, its character-strings joined
    // (RFC 7208 §3.3).
    QStringList values;
    QList<int> preferences; // MX only, parallel to values
    QList<quint32> ttls;    // parallel to values (seconds)
    // How long the answer may be kept (seconds): the records' TTL; for
    // NODATA/NXDOMAIN the SOA's negative TTL (RFC 2308 §5), 0 without one;
    // 0 for a Failure.
    quint32 ttl = 0;
    QString error; // Failure: why, in English ("no answer from the name server within 5 s")

    bool hasRecords() const { return outcome == Outcome::Records && !values.isEmpty(); }
    bool isFailure() const { return outcome == Outcome::Failure; }
    bool isNoAnswer() const { return outcome == Outcome::Failure && failure == FailureKind::NoAnswer; }
    // RFC 7208 §4.6.4 "void lookup": no records or no such name.
    bool isVoid() const
    {
        return outcome == Outcome::NoRecords || outcome == Outcome::NxDomain ||
               (outcome == Outcome::Records && values.isEmpty());
    }

    // "records", "NODATA", "NXDOMAIN", "SERVFAIL", "REFUSED", "no answer", "error"
    QString outcomeName() const;

    static DnsAnswer makeFailure(FailureKind kind, QString error, int rcode = -1);
};

// RFC 1035 §4.1.1 / RFC 6895 names of the RCODEs a server may send.
QString dnsRcodeName(int rcode);

} // namespace mailroute
