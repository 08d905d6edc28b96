# The text of each error code (PROTOCOL.md, "Error codes"). A customer may see
# these in the chat window: say what happened and what to do, never internal details.

error-hello_required = Der Chat wurde noch nicht gestartet. Bitte laden Sie die Seite neu und versuchen Sie es noch einmal.
error-bad_request = Entschuldigung, diese Nachricht konnten wir nicht lesen. Bitte prüfen Sie sie und senden Sie sie noch einmal.
error-bad_request-empty = Ihre Nachricht ist leer. Bitte geben Sie vor dem Senden etwas ein.
error-bad_request-too-long = Ihre Nachricht ist zu lang. Bitte verwenden Sie höchstens { $max } Zeichen.
error-unknown_type = Entschuldigung, der Chat hat etwas empfangen, das er nicht verarbeiten kann. Bitte aktualisieren Sie die Seite und versuchen Sie es noch einmal.
error-rate_limited = Sie senden sehr schnell hintereinander Nachrichten. Bitte warten Sie einen Moment und versuchen Sie es dann noch einmal.
error-too_large = Diese Nachricht ist zu groß zum Senden.
error-unsupported_data = In diesem Chat können nur Textnachrichten gesendet werden.
error-unauthorized = Sie sind nicht angemeldet oder Ihre Anmeldung ist abgelaufen.
error-already_claimed = Dieses Gespräch wurde bereits von jemand anderem aus dem Team übernommen.
error-window_closed = Die letzte Kundennachricht liegt mehr als 24 Stunden zurück, deshalb stellt WhatsApp keine frei formulierte Antwort zu. Bitte warten Sie, bis wieder eine Nachricht eingeht.
error-not_found = Dieses Gespräch konnten wir leider nicht finden.
error-internal = Entschuldigung, bei uns ist etwas schiefgelaufen. Bitte versuchen Sie es gleich noch einmal.
