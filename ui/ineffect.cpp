#include "ui/ineffect.h"

#include "relaycore/config/settingsschema.h"
#include "relaycore/routing/settingkeys.h"
#include "relaycore/store/configstore.h"
#include "ui/settingspage.h"

#include <QMessageBox>
#include <QPushButton>
#include <QSet>

namespace mailroute {

namespace {

QString named(const QString &key)
{
    const QString label = SettingsPage::settingLabel(key);
    return label == key ? key : label + QStringLiteral(" (") + key + QLatin1Char(')');
}

QString shown(const QString &value)
{
    return value.isEmpty() ? InEffect::tr("empty") : value;
}

QString bulletList(const QStringList &lines)
{
    return QStringLiteral("• ") + lines.join(QStringLiteral("\n• "));
}

} // namespace

bool InEffect::affectsListener(const QString &key)
{
    return key == SettingKey::relayListen() || key == SettingKey::relayHostname() ||
           key == SettingKey::outboundAllowedClients() || key.startsWith(QLatin1String("tls.")) ||
           key.startsWith(QLatin1String("limits."));
}

ActivationPlan InEffect::planActivation(ConfigStore &store)
{
    ActivationPlan plan;
    const auto active = store.activeGeneration();
    if (!active) {
        plan.config = Result<std::shared_ptr<const RelayConfig>>::failure(tr("nothing has been pushed"));
        return plan;
    }
    plan.generation = *active;
    const Result<ConfigData> config = store.generationConfig(*active);
    if (!config) {
        plan.config = Result<std::shared_ptr<const RelayConfig>>::failure(config.error);
        return plan;
    }
    plan.config = RelayConfig::build(*config, *active);
    // Unset means the default, in the generation as in the draft.
    const QMap<QString, QString> draft = store.explicitSettings();
    QSet<QString> keys;
    for (auto it = config->settings.cbegin(); it != config->settings.cend(); ++it)
        keys.insert(it.key());
    for (auto it = draft.cbegin(); it != draft.cend(); ++it)
        keys.insert(it.key());
    for (const SettingDef &def : SettingsSchema::all()) {
        if (!keys.contains(def.key) || !affectsListener(def.key))
            continue;
        const QString before = config->settings.value(def.key, def.defaultValue);
        const QString after = draft.value(def.key, def.defaultValue);
        if (before != after)
            plan.listenerChanges.append(SettingChange{def.key, before, after, def.defaultValue});
    }
    return plan;
}

QMessageBox *InEffect::askSaveBeforePush(QWidget *parent, const QStringList &unsavedKeys,
                                         std::function<void()> saveAndPush, std::function<void()> cancelled)
{
    QStringList names;
    for (const QString &key : unsavedKeys)
        names << named(key);
    auto *box = new QMessageBox(QMessageBox::Question, tr("Push configuration"),
                                tr("The Settings page has changes that are not saved."),
                                QMessageBox::NoButton, parent);
    box->setObjectName(QStringLiteral("saveBeforePushDialog"));
    box->setInformativeText(
        tr("A push sends what is saved in the draft, so these would not reach the relay:") +
        QLatin1Char('\n') + bulletList(names) + QStringLiteral("\n\n") +
        tr("Save them and push, or cancel and look at them first."));
    QPushButton *save = box->addButton(tr("Save and Push"), QMessageBox::AcceptRole);
    save->setObjectName(QStringLiteral("saveAndPushButton"));
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(save);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(
        box, &QMessageBox::finished, box,
        [box, save, saveAndPush = std::move(saveAndPush), cancelled = std::move(cancelled)](int) {
            if (box->clickedButton() == save)
                saveAndPush();
            else if (cancelled)
                cancelled();
        });
    box->open();
    return box;
}

QMessageBox *InEffect::askPushBeforeActivate(QWidget *parent, const ActivationPlan &plan,
                                             const QStringList &unsavedKeys, std::function<void()> pushFirst,
                                             std::function<void()> activateAnyway)
{
    QStringList lines;
    for (const SettingChange &c : plan.listenerChanges)
        lines << tr("%1: %2 in generation %3, %4 saved but not pushed")
                     .arg(named(c.key), shown(c.oldValue))
                     .arg(plan.generation)
                     .arg(shown(c.newValue));
    for (const QString &key : unsavedKeys)
        lines << tr("%1: changed on the Settings page, not saved").arg(named(key));
    auto *box = new QMessageBox(
        QMessageBox::Warning, tr("Activate"),
        tr("The relay would start with the settings of generation %1, not with those on the Settings page.")
            .arg(plan.generation),
        QMessageBox::NoButton, parent);
    box->setObjectName(QStringLiteral("pushBeforeActivateDialog"));
    box->setInformativeText(bulletList(lines) + QStringLiteral("\n\n") +
                            tr("Push first, and the relay starts with what the page shows."));
    QPushButton *push = box->addButton(tr("Push, Then Activate"), QMessageBox::AcceptRole);
    push->setObjectName(QStringLiteral("pushThenActivateButton"));
    QPushButton *anyway =
        box->addButton(tr("Activate Generation %1").arg(plan.generation), QMessageBox::ActionRole);
    anyway->setObjectName(QStringLiteral("activateAnywayButton"));
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(push);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, box,
                     [box, push, anyway, pushFirst = std::move(pushFirst),
                      activateAnyway = std::move(activateAnyway)](int) {
                         if (box->clickedButton() == push)
                             pushFirst();
                         else if (box->clickedButton() == anyway)
                             activateAnyway();
                     });
    box->open();
    return box;
}

QMessageBox *InEffect::askLeaveSettings(QWidget *parent, const QStringList &unsavedKeys,
                                        std::function<void(Leave)> decided)
{
    QStringList names;
    for (const QString &key : unsavedKeys)
        names << named(key);
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("Unsaved settings"), tr("Save the changed settings?"),
                        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, parent);
    box->setObjectName(QStringLiteral("leaveUnsavedSettingsDialog"));
    box->setInformativeText(bulletList(names) + QStringLiteral("\n\n") +
                            tr("Saved settings go to the draft and reach the relay with the next push; "
                               "Discard brings back the saved values."));
    box->setDefaultButton(QMessageBox::Save);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(box, &QMessageBox::finished, box, [box, decided = std::move(decided)](int) {
        const QMessageBox::StandardButton b = box->standardButton(box->clickedButton());
        decided(b == QMessageBox::Save      ? Leave::Save
                : b == QMessageBox::Discard ? Leave::Discard
                                            : Leave::Cancel);
    });
    box->open();
    return box;
}

} // namespace mailroute
