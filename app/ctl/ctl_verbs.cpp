// mailroutectl's verb table: every command and sub-command the command line
// takes, in the order their usage errors name them ("domains needs list, add
// or remove"). CtlApp::dispatch() (ctlapp.cpp) looks the words up here; the
// completion script lists these commands; tst_ctlverbs checks the table
// against the help texts (ctl_help.cpp). A new command or verb is one row
// here, its handler in its command's file (ctlapp.h names the files) and its
// help text (docs/architecture.md).
#include "app/ctl/ctlapp.h"

namespace mailroute {

const std::vector<CtlVerb> &CtlApp::verbs()
{
    // Inside the class's scope: the handlers are private.
    using A = CtlVerb::AreaUse;
    using J = CtlVerb::Json;
    static const std::vector<CtlVerb> kVerbs = {
        // command, verb, --json, area, min and max arguments, store opened, handler
        {"domains", "list", J::Listing, A::AnyArea, 0, 0, true, &CtlApp::domainsList},
        {"domains", "add", J::Refused, A::AnyArea, 2, 2, true, &CtlApp::domainsAdd},
        {"domains", "remove", J::Refused, A::AnyArea, 1, -1, true, &CtlApp::domainsRemove},
        {"users", "list", J::Listing, A::UserArea, 0, 0, true, &CtlApp::usersList},
        {"users", "add", J::Refused, A::UserArea, 2, 2, true, &CtlApp::usersAdd},
        {"users", "remove", J::Refused, A::UserArea, 1, -1, true, &CtlApp::usersRemove},
        {"users", "import", J::Refused, A::UserArea, 1, 1, false, &CtlApp::importUsers},
        {"users", "export", J::Listing, A::UserArea, 0, 1, true, &CtlApp::exportUsers},
        {"users", "sample", J::Refused, A::None, 0, 0, false, &CtlApp::usersSample},
        {"route", nullptr, J::Refused, A::AnyArea, 1, 1, false, &CtlApp::cmdRoute},
        {"diff", nullptr, J::Listing, A::None, 0, 0, true, &CtlApp::cmdDiff},
        {"push", nullptr, J::Refused, A::None, 0, 0, true, &CtlApp::cmdPush},
        {"rollback", nullptr, J::Refused, A::None, 0, 1, false, &CtlApp::cmdRollback},
        {"generations", nullptr, J::Listing, A::None, 0, 0, true, &CtlApp::cmdGenerations},
        {"lint", nullptr, J::Listing, A::None, 0, 0, true, &CtlApp::cmdLint},
        {"logs", nullptr, J::Listing, A::None, 0, 0, false, &CtlApp::cmdLogs},
        {"trace", nullptr, J::Listing, A::None, 0, 0, false, &CtlApp::cmdTrace},
        {"settings", "list", J::Listing, A::None, 0, 0, true, &CtlApp::settingsList},
        {"settings", "get", J::Refused, A::None, 1, 1, false, &CtlApp::settingsGet},
        {"settings", "set", J::Refused, A::None, 2, 2, true, &CtlApp::settingsSet},
        {"settings", "reset", J::Refused, A::None, 1, 1, true, &CtlApp::settingsReset},
        {"routes", "list", J::Listing, A::None, 0, 0, true, &CtlApp::routesList},
        {"routes", "set", J::Refused, A::None, 2, 2, true, &CtlApp::routesSet},
        {"routes", "remove", J::Refused, A::None, 1, 1, true, &CtlApp::routesRemove},
        {"serve", nullptr, J::Refused, A::None, 0, 0, true, &CtlApp::cmdServe},
        {"status", nullptr, J::Listing, A::None, 0, 0, true, &CtlApp::cmdStatus},
        {"queue", "list", J::Listing, A::None, 0, 0, false, &CtlApp::queueList},
        {"queue", "flush", J::Refused, A::None, 0, 1, false, &CtlApp::queueControl},
        {"queue", "delete", J::Refused, A::None, 1, 1, false, &CtlApp::queueControl},
        {"hold", "add", J::OwnRefusal, A::None, 1, 1, false, &CtlApp::cmdHold},
        {"hold", "release", J::OwnRefusal, A::None, 1, 1, false, &CtlApp::cmdHold},
        {"hold", "list", J::Listing, A::None, 0, 0, false, &CtlApp::cmdHold},
        {"purge", nullptr, J::Refused, A::None, 0, 0, false, &CtlApp::cmdPurge},
        {"secret", "set", J::Refused, A::None, 0, -1, false, &CtlApp::cmdSecret},
        {"secret", "clear", J::Refused, A::None, 0, -1, false, &CtlApp::cmdSecret},
        {"secret", "status", J::Refused, A::None, 0, -1, false, &CtlApp::cmdSecret},
        {"export", "postfix", J::Refused, A::None, 1, 1, true, &CtlApp::cmdExport},
        {"check", "dns", J::Listing, A::None, 0, -1, false, &CtlApp::cmdCheck},
        {"check", "connector", J::Listing, A::None, 0, 1, false, &CtlApp::cmdCheck},
        {"verify", nullptr, J::OwnRefusal, A::None, 1, 1, false, &CtlApp::cmdVerify}, // verify ADDRESS
        {"verify", "exclude", J::OwnRefusal, A::None, 1, 1, false, &CtlApp::cmdVerify},
        {"verify", "include", J::OwnRefusal, A::None, 1, 1, false, &CtlApp::cmdVerify},
        {"verify", "excluded", J::Listing, A::None, 0, 0, true, &CtlApp::cmdVerify},
        {"verify", "targets", J::Listing, A::None, 0, 0, true, &CtlApp::cmdVerify},
        {"dkim", "generate", J::OwnRefusal, A::None, 1, 1, false, &CtlApp::cmdDkim},
        {"dkim", "list", J::Listing, A::None, 0, 0, false, &CtlApp::cmdDkim},
        {"dkim", "record", J::OwnRefusal, A::None, 1, 1, false, &CtlApp::cmdDkim},
        {"dkim", "rotate", J::OwnRefusal, A::None, 1, 1, false, &CtlApp::cmdDkim},
        {"dkim", "remove", J::OwnRefusal, A::None, 1, 1, false, &CtlApp::cmdDkim},
        {"wave", "create", J::OwnRefusal, A::None, 2, 2, true, &CtlApp::waveCreate},
        {"wave", "list", J::Listing, A::None, 0, 0, true, &CtlApp::waveList},
        {"wave", "show", J::OwnRefusal, A::None, 1, 1, true, &CtlApp::waveShow},
        {"wave", "check", J::OwnRefusal, A::None, 1, 1, true, &CtlApp::waveCheck},
        {"wave", "apply", J::OwnRefusal, A::None, 1, 1, true, &CtlApp::waveApply},
        {"wave", "cancel", J::OwnRefusal, A::None, 1, 1, true, &CtlApp::waveCancel},
        {"wave", "remove", J::OwnRefusal, A::None, 1, 1, true, &CtlApp::waveRemove},
        {"completion", "bash", J::Refused, A::None, 0, -1, false, &CtlApp::cmdCompletion},
    };
    return kVerbs;
}

const CtlCommandWords *CtlApp::commandWords(const QString &command)
{
    static const CtlCommandWords kCommandWords[] = {
        {"check", nullptr, "unknown check '%1' (dns or connector)", nullptr},
        {"export", "export needs a format: export postfix DIR", "unknown export format '%1' (postfix)",
         nullptr},
        {"completion", "completion needs bash", "completion needs bash", nullptr},
        {"verify", nullptr, nullptr, &CtlApp::verifyWords},
        {"wave", nullptr, nullptr, &CtlApp::waveOptions},
    };
    for (const CtlCommandWords &w : kCommandWords) {
        if (command == QLatin1String(w.command))
            return &w;
    }
    return nullptr;
}

} // namespace mailroute
