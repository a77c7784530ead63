// mailroutectl export postfix DIR
// (docs/behaviour.md "The command line (mailroutectl)", "Postfix export"): the
// active generation as Postfix lookup tables and a main.cf fragment
// (relaycore/export).
#include "app/ctl/ctlapp.h"

#include "relaycore/export/postfixexport.h"
#include "relaycore/store/configstore.h"

#include <QDir>

namespace mailroute {

int CtlApp::cmdExport()
{
    // The format word, DIR and the store: checked by the dispatcher (ctl_verbs.cpp).
    const QString dir = QDir::cleanPath(QDir(m_positionals.first()).absolutePath());
    const Result<PostfixExportResult> done = PostfixExport::exportActiveGeneration(*m_store, dir);
    if (!done)
        return fail(QStringLiteral("export failed: %1").arg(done.error));
    for (const QString &w : done->warnings)
        m_err << "mailroutectl: warning: " << w << '\n';
    m_out << "Exported generation " << done->generation << " to " << dir << ": " << done->recipientRules
          << " recipient_canonical and " << done->senderRules << " sender_canonical entries.\n";
    for (const ExportedFile &f : done->files)
        m_out << "  " << f.name << '\n';
    m_out << "Next: run " << dir << "/postmap.sh, add " << dir << "/main.cf.fragment to main.cf and " << dir
          << "/master.cf.fragment to master.cf, then \"postfix reload\".\n";
    return kExitOk;
}

} // namespace mailroute
