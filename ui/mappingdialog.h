// "Create Domain Mapping" and "Create User Mapping": two fields checked as
// the user types with the engine's own parser (normalizeDomain, parseMailbox),
// a live example of what the rule does, and duplicates refused before the
// store is asked. Main (GUI) thread.
#pragma once

#include "relaycore/routing/area.h"

#include <QDialog>

#include <functional>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace mailroute {

class MappingDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class Kind { Domain, User };
    // Whether the area already has a rule for this (normalised) source.
    using ExistsCheck = std::function<bool(const QString &normalizedSource)>;
    // Stores the mapping; returns why it was refused, or an empty string.
    // The dialog closes only when it returns empty.
    using Submit = std::function<QString(const QString &source, const QString &target)>;

    MappingDialog(Kind kind, Area area, ExistsCheck exists, QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    // Normalised values ("warmsushi.com", "bob@warmsushi.com"); valid once accepted.
    QString source() const { return m_source; }
    QString target() const { return m_target; }
    bool isInputValid() const { return m_valid; }

    void setSubmit(Submit submit) { m_submit = std::move(submit); }
    // Shows a refusal from the store (the dialog stays open).
    void showError(const QString &text);

private:
    void validate();

    Kind m_kind;
    Area m_area;
    ExistsCheck m_exists;
    Submit m_submit;
    QLineEdit *m_sourceEdit;
    QLineEdit *m_targetEdit;
    QLabel *m_sourceError;
    QLabel *m_targetError;
    QLabel *m_preview;
    QDialogButtonBox *m_buttons;
    QPushButton *m_create;
    QString m_source;
    QString m_target;
    bool m_valid = false;
};

} // namespace mailroute
