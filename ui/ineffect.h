// What is in effect (docs/behaviour.md "Settings and activation"): the
// questions the console asks so that what the admin sees is what the relay
// runs — before a push while the Settings page has unsaved edits, before
// Activate while saved settings the listener uses are not pushed, and before
// leaving the Settings page (or closing the window) with unsaved edits.
// The boxes are window-modal and non-blocking (open(), not exec()). Main
// (GUI) thread, except planActivation (the store's worker thread).
#pragma once

#include "relaycore/engine/relayconfig.h"
#include "relaycore/routing/configdiff.h"
#include "relaycore/routing/result.h"

#include <QCoreApplication>
#include <QList>
#include <QStringList>

#include <functional>
#include <memory>

class QMessageBox;
class QWidget;

namespace mailroute {

class ConfigStore;

// What Activate would start: the active generation's relay configuration and
// the settings the listener uses whose draft value differs from it.
struct ActivationPlan
{
    Result<std::shared_ptr<const RelayConfig>> config;
    qint64 generation = 0;
    QList<SettingChange> listenerChanges; // old: active generation, new: draft; defaults filled in
};

class InEffect final
{
    Q_DECLARE_TR_FUNCTIONS(InEffect)

public:
    // Settings the relay's listener takes at start: the address, its name in
    // the greeting, STARTTLS, the session limits, the allowed clients.
    static bool affectsListener(const QString &key);
    // On the store's worker thread.
    static ActivationPlan planActivation(ConfigStore &store);

    // "Save first?" before a push: Save and Push calls saveAndPush, Cancel `cancelled`.
    static QMessageBox *askSaveBeforePush(QWidget *parent, const QStringList &unsavedKeys,
                                          std::function<void()> saveAndPush, std::function<void()> cancelled);
    // Activate with unpushed listener settings (or unsaved ones on the page):
    // push first (default), activate the active generation anyway, or cancel.
    static QMessageBox *askPushBeforeActivate(QWidget *parent, const ActivationPlan &plan,
                                              const QStringList &unsavedKeys, std::function<void()> pushFirst,
                                              std::function<void()> activateAnyway);
    enum class Leave { Save, Discard, Cancel };
    // Leaving the Settings page (or closing the window) with unsaved edits.
    static QMessageBox *askLeaveSettings(QWidget *parent, const QStringList &unsavedKeys,
                                         std::function<void(Leave)> decided);
};

} // namespace mailroute
