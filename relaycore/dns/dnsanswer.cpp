#include "relaycore/dns/dnsanswer.h"

namespace mailroute {

QString dnsTypeName(DnsType type)
{
    switch (type) {
    case DnsType::A: return QStringLiteral("A");
    case DnsType::AAAA: return QStringLiteral("AAAA");
    case DnsType::MX: return QStringLiteral("MX");
    case DnsType::TXT: return QStringLiteral("TXT");
    case DnsType::PTR: return QStringLiteral("PTR");
    }
    return {};
}

int dnsTypeCode(DnsType type)
{
    switch (type) {
    case DnsType::A: return 1;
    case DnsType::AAAA: return 28;
    case DnsType::MX: return 15;
    case DnsType::TXT: return 16;
    case DnsType::PTR: return 12;
    }
    return 0;
}

QString dnsRcodeName(int rcode)
{
    switch (rcode) {
    case 0: return QStringLiteral("NOERROR");
    case 1: return QStringLiteral("FORMERR");
    case 2: return QStringLiteral("SERVFAIL");
    case 3: return QStringLiteral("NXDOMAIN");
    case 4: return QStringLiteral("NOTIMP");
    case 5: return QStringLiteral("REFUSED");
    default: return QStringLiteral("RCODE %1").arg(rcode);
    }
}

QString DnsAnswer::outcomeName() const
{
    switch (outcome) {
    case Outcome::Records: return QStringLiteral("records");
    case Outcome::NoRecords: return QStringLiteral("NODATA");
    case Outcome::NxDomain: return QStringLiteral("NXDOMAIN");
    case Outcome::Failure: break;
    }
    switch (failure) {
    case FailureKind::ServerFailure: return QStringLiteral("SERVFAIL");
    case FailureKind::OtherRcode: return dnsRcodeName(rcode);
    case FailureKind::NoAnswer: return QStringLiteral("no answer");
    case FailureKind::None:
    case FailureKind::LocalError: break;
    }
    return QStringLiteral("error");
}

DnsAnswer DnsAnswer::makeFailure(FailureKind kind, QString error, int rcode)
{
    DnsAnswer a;
    a.outcome = Outcome::Failure;
    a.failure = kind;
    a.rcode = rcode;
    a.error = std::move(error);
    return a;
}

} // namespace mailroute
