# The bot's answer to each intent (answer-<intent>) and the label of the
# quick-reply button that asks for it (label-<intent>). Answers never promise
# what the bot cannot do: it explains and, where needed, hands over to a person.
# Answers of intents that ask for the order number receive it as { $order }.
# Every answer may use the shop's facts from the config: { $hours } (a list such as
# "Monday–Friday 09:00–18:00", or hours-always), { $zone } ("Europe/Berlin, UTC+01:00"),
# { $email } and { $phone }. Never write hours, the email or the phone number by hand.
# { $hours_kind } is always (no hours configured: support never closes) or scheduled:
# select on it so an always-open team is not given a time zone or "outside hours".
# Out of support hours, a handoff answer is replaced by answer-<intent>-offline,
# which must not promise a person now and asks for the customer's email address
# (the offline notice that follows then only says when the team is back).

## Small talk

answer-greet = Hallo! Wie kann ich Ihnen heute helfen? Sie können mir Fragen zu Bestellungen, Lieferungen, Rücksendungen oder Zahlungen stellen.
label-greet = Hallo
answer-goodbye = Auf Wiedersehen und danke für Ihren Besuch! Wenn noch etwas ist, bin ich gern für Sie da.
label-goodbye = Auf Wiedersehen
answer-thanks = Gern geschehen! Kann ich Ihnen sonst noch bei etwas helfen?
label-thanks = Danke
answer-dont_know = Kein Problem. Ihre Bestellnummer finden Sie in der Bestellbestätigung, die wir Ihnen per E-Mail geschickt haben (7-stellig, zum Beispiel 1004527); wenn Sie ein Kundenkonto haben, auch unter „Meine Bestellungen“. Wobei kann ich Ihnen helfen?
label-dont_know = Weiß ich nicht
answer-affirm = Prima! Was kann ich sonst noch für Sie tun?
label-affirm = Ja
answer-deny = In Ordnung. Wenn Sie noch etwas brauchen, sagen Sie einfach Bescheid.
label-deny = Nein
answer-bot_identity = Ich bin der virtuelle Assistent des Shops – ein Computerprogramm, kein Mensch. Die meisten Fragen kann ich sofort beantworten, und wenn Sie möchten, hole ich jederzeit jemanden aus unserem Kundenservice dazu.
label-bot_identity = Spreche ich mit einem Bot?
    .short = Ist das ein Bot?

## Going to a person

answer-human_agent = Natürlich, ich hole jemanden aus unserem Kundenservice dazu.
answer-human_agent-offline = Gern würde ich jemanden aus unserem Kundenservice dazuholen, aber unser Team ist gerade nicht erreichbar. Wenn Sie hier Ihre E-Mail-Adresse hinterlassen, meldet sich das Team bei Ihnen, sobald es wieder da ist.
label-human_agent = Mit einem Menschen sprechen
    .short = Zum Kundenservice
answer-complaint = Das tut mir wirklich leid, und ich verstehe gut, wie ärgerlich das ist. Danke, dass Sie uns Bescheid geben – jemand aus unserem Kundenservice kümmert sich persönlich und vorrangig darum.
answer-complaint-offline = Das tut mir wirklich leid, und ich verstehe gut, wie ärgerlich das ist. Danke, dass Sie uns Bescheid geben. Unser Kundenservice ist gerade nicht erreichbar: Wenn Sie hier Ihre E-Mail-Adresse hinterlassen, kümmert sich jemand aus dem Team persönlich und vorrangig darum, sobald wir wieder da sind, und antwortet Ihnen per E-Mail.
label-complaint = Beschwerde einreichen
    .short = Beschwerde einlegen
answer-account_delete = Ich verstehe, Sie möchten Ihr Konto oder Ihre persönlichen Daten löschen lassen. Zu Ihrer Sicherheit übernimmt das jemand aus unserem Kundenservice persönlich: Nach einer Prüfung Ihrer Identität werden Ihr Konto und Ihre persönlichen Daten innerhalb von 30 Tagen gelöscht. Rechnungen und Bestelldaten bewahren wir 10 Jahre lang auf, weil das Steuerrecht es vorschreibt, und verwenden sie für nichts anderes.
answer-account_delete-offline = Ich verstehe, Sie möchten Ihr Konto oder Ihre persönlichen Daten löschen lassen. Zu Ihrer Sicherheit übernimmt das jemand aus unserem Kundenservice persönlich und prüft zuerst Ihre Identität – das Team ist aber gerade nicht erreichbar. Wenn Sie hier Ihre E-Mail-Adresse hinterlassen, melden wir uns bei Ihnen, sobald wir wieder da sind. Ihr Konto und Ihre persönlichen Daten werden dann innerhalb von 30 Tagen gelöscht. Rechnungen und Bestelldaten bewahren wir 10 Jahre lang auf, weil das Steuerrecht es vorschreibt, und verwenden sie für nichts anderes.
label-account_delete = Mein Konto löschen

## Orders

answer-order_status = Danke! Wo sich Ihre Bestellung { $order } gerade befindet, sehen Sie über den Tracking-Link in Ihrer Versandbestätigung; haben Sie mit Kundenkonto bestellt, finden Sie ihn auch unter „Meine Bestellungen“. Bestellungen verlassen unser Lager in der Regel innerhalb eines Werktags, und bis der erste Scan in der Sendungsverfolgung erscheint, kann es bis zu 24 Stunden dauern.
label-order_status = Wo ist meine Bestellung?
    .short = Bestellstatus
answer-order_cancel = Solange Ihre Bestellung { $order } noch nicht versendet wurde, können Sie sie unter „Meine Bestellungen“ selbst stornieren. Hat sie unser Lager bereits verlassen, können Sie die Annahme verweigern oder sie innerhalb von 30 Tagen kostenlos zurücksenden.
confirm-order_cancel = Nur zur Sicherheit: Soll ich die Bestellung { $order } für Sie stornieren?
label-order_cancel = Bestellung stornieren
    .short = Stornieren
answer-change_address = Bis zum Versand können Sie die Lieferadresse Ihrer Bestellung { $order } unter „Meine Bestellungen“ ändern. Ist das Paket schon unterwegs, können Sie es über den Tracking-Link in Ihrer Versand-E-Mail beim Versanddienstleister umleiten lassen.
label-change_address = Lieferadresse ändern
answer-delivery_delay = Es tut mir leid, dass Ihre Bestellung { $order } noch nicht angekommen ist. Den aktuellen Stand sehen Sie über den Tracking-Link in Ihrer Versand-E-Mail; steht dort „zugestellt“, fragen Sie bitte bei Ihren Nachbarn und am Empfang Ihres Gebäudes nach und sehen Sie in Ihren Briefkasten. Bewegt sich die Sendung 3 Werktage lang nicht, wenden Sie sich bitte hier im Chat an unseren Kundenservice: Wir stellen dann einen Nachforschungsauftrag beim Versanddienstleister, der bis zu 10 Werktage dauert. Ist das Paket verloren gegangen, schicken wir Ihnen Ersatz oder erstatten den vollen Betrag – ganz wie Sie möchten.
label-delivery_delay = Meine Bestellung verspätet sich
    .short = Lieferung verspätet
answer-product_availability = Auf jeder Produktseite sehen Sie die aktuelle Verfügbarkeit aller Größen und Farben. Ist ein Artikel ausverkauft, klicken Sie auf „Benachrichtigen“ – wir schicken Ihnen eine E-Mail, sobald er wieder verfügbar ist.
label-product_availability = Ist der Artikel verfügbar?
    .short = Artikel verfügbar?

## Shipping, returns and refunds

answer-shipping_info = Wir liefern in alle EU-Länder, nach Großbritannien, in die Türkei und nach Malaysia. Die Standardlieferung innerhalb der EU dauert 2 bis 4 Werktage und kostet 4,90 € (bei Bestellungen über 50 € kostenlos); nach Großbritannien dauert sie 3 bis 5 Werktage, in die Türkei und nach Malaysia 5 bis 10 Werktage zur Pauschale von 14,90 €. Die Expresslieferung kostet 9,90 € und kommt am nächsten Werktag an, wenn Sie an einem Werktag vor 14:00 Uhr (MEZ) bestellen. Bei Lieferungen außerhalb der EU können Zoll und Einfuhrumsatzsteuer anfallen. Wir sind ein reiner Onlineshop, daher können Bestellungen nicht in einem Geschäft abgeholt werden. Sie können Ihr Paket aber für 3,90 € an eine Abholstelle in Ihrer Nähe liefern lassen (3 bis 5 Werktage).
label-shipping_info = Versandkosten und Lieferzeiten
    .short = Versand & Lieferzeit
answer-return_item = Unbenutzte Artikel mit Etikett können Sie innerhalb von 30 Tagen nach der Lieferung zurücksenden. Starten Sie die Rücksendung unter „Meine Bestellungen“, drucken Sie das kostenlose Rücksendeetikett aus (oder zeigen Sie den QR-Code vor) und geben Sie das Paket an einer beliebigen Annahmestelle ab. Einen direkten Umtausch bieten wir nicht an: Wenn Sie eine andere Größe brauchen, senden Sie den Artikel bitte auf diesem Weg zurück und bestellen Sie die gewünschte Größe neu. Ausgeschlossen sind Unterwäsche und Bademode mit geöffnetem Hygienesiegel, personalisierte Artikel und geöffnete Software. Wir erstatten Ihnen den Betrag innerhalb von 5 Werktagen nach Eingang bei uns.
label-return_item = Artikel zurücksenden
answer-refund_request = Wir erstatten den Betrag über die Zahlungsart, mit der Sie bezahlt haben (bei Zahlung mit Geschenkkarte auf die Geschenkkarte), und zwar innerhalb von 5 Werktagen nach Eingang Ihrer Rücksendung oder nach Ihrer Stornierung; bis die Gutschrift auf Ihrem Konto erscheint, kann Ihre Bank noch 2 bis 3 Werktage brauchen. Sind seit dem Eingang Ihrer Rücksendung mehr als 10 Werktage vergangen und ist das Geld noch immer nicht da, tippen Sie bitte unten auf „Mit einem Menschen sprechen“: Jemand aus unserem Kundenservice prüft dann, was passiert ist. Die Versandkosten erstatten wir, wenn Sie die gesamte Bestellung zurücksenden.
label-refund_request = Wo bleibt meine Erstattung?
    .short = Stand der Erstattung
answer-damaged_item = Es tut mir wirklich leid, dass Ihre Bestellung beschädigt angekommen ist oder nicht dem entspricht, was Sie bestellt haben. Bitte melden Sie sich so schnell wie möglich, am besten innerhalb von 14 Tagen nach der Lieferung: Fotografieren Sie den Artikel und die Verpackung und starten Sie unter „Meine Bestellungen“ eine Rücksendung mit dem Grund „beschädigt“ oder „falscher Artikel“. Wir schicken Ihnen Ersatz oder erstatten Ihnen den Betrag, ganz wie Sie möchten, und die Rücksendung ist für Sie kostenlos. Bitte bewahren Sie die Verpackung auf, bis der Fall abgeschlossen ist.
label-damaged_item = Artikel beschädigt oder falsch
    .short = Beschädigt/falsch
answer-warranty = Auf alle unsere Produkte gibt es 2 Jahre Garantie ab dem Lieferdatum. Melden Sie den Garantiefall unter „Meine Bestellungen“, beschreiben Sie den Mangel und fügen Sie Fotos hinzu: Wir reparieren oder ersetzen den Artikel, und ist beides nicht möglich, erstatten wir Ihnen den Kaufpreis. Nicht abgedeckt sind normale Abnutzung, unsachgemäße Verwendung und Unfallschäden, etwa durch einen Sturz oder verschüttete Flüssigkeit.
label-warranty = Garantie

## Payment and invoices

answer-payment_problem = Es tut mir leid, dass es bei Ihrer Zahlung Schwierigkeiten gibt. Wenn die Zahlung nicht geklappt hat, prüfen Sie bitte Ihre Kartendaten und die Rechnungsadresse, bestätigen Sie die Zahlung gegebenenfalls in der App Ihrer Bank (3-D Secure), stellen Sie sicher, dass Ihre Karte für Online-Zahlungen freigeschaltet ist und das Limit reicht, oder versuchen Sie es mit einer anderen Zahlungsart. Wurde Ihnen der Betrag doppelt abgebucht, ist der zweite Betrag meist nur eine vorübergehende Reservierung aus einem fehlgeschlagenen Versuch, die Ihre Bank innerhalb von 5 Werktagen wieder freigibt; stehen danach noch immer beide Abbuchungen auf Ihrem Kontoauszug, schicken Sie ihn bitte unserem Kundenservice, und wir erstatten Ihnen die doppelte Abbuchung.
label-payment_problem = Problem mit meiner Zahlung
    .short = Zahlungsproblem
answer-payment_methods = Wir akzeptieren Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay und Banküberweisung. Ratenzahlung und Zahlung per Nachnahme bieten wir nicht an. Bei Banküberweisung versenden wir Ihre Bestellung, sobald Ihre Zahlung bei uns eingegangen ist, was in der Regel 1 bis 2 Werktage dauert.
label-payment_methods = Zahlungsarten
answer-invoice_request = Ihre Rechnung finden Sie im Anhang der Versandbestätigung. Sie können sie außerdem jederzeit unter „Meine Bestellungen“ herunterladen. Für eine Firmenrechnung hinterlegen Sie bitte vor der Bestellung Firmennamen und USt-IdNr. in Ihrem Konto. Eine ausgestellte Rechnung lässt sich nicht mehr ändern, aber unser Kundenservice kann Ihnen innerhalb von 30 Tagen eine korrigierte Rechnung ausstellen.
label-invoice_request = Rechnung anfordern
answer-discount_code = Rabattcodes geben Sie vor der Zahlung im Warenkorb ein, ein Code pro Bestellung; nachträglich lässt sich ein Code nicht mehr hinzufügen. Falls ein Code nicht funktioniert, prüfen Sie bitte das Ablaufdatum und den Mindestbestellwert und achten Sie auf ein mitkopiertes Leerzeichen vor oder nach dem Code (Groß- und Kleinschreibung spielt keine Rolle). Für Geschenkkarten und bereits reduzierte Artikel gelten Rabattcodes nur, wenn der Code das ausdrücklich vorsieht.
label-discount_code = Mein Rabattcode funktioniert nicht
    .short = Rabattcode-Problem
answer-subscription_cancel = Sie können Ihre Mitgliedschaft jederzeit unter „Konto“ > „Abonnement“ kündigen. Sie bleibt bis zum Ende des bereits bezahlten Zeitraums aktiv, danach wird Ihnen nichts mehr berechnet. Kündigen Sie eine Jahresmitgliedschaft innerhalb von 14 Tagen nach dem Kauf und haben Sie sie noch nicht genutzt, erstatten wir Ihnen die vollen 49 €.
label-subscription_cancel = Mitgliedschaft kündigen
    .short = Abo kündigen
answer-newsletter_unsubscribe = Sie können unseren Newsletter jederzeit abbestellen: Klicken Sie einfach auf den Abmeldelink unten in einem unserer Newsletter, dann erhalten Sie keine weiteren. Ihr Kundenkonto müssen Sie dafür nicht löschen. E-Mails zu Ihren Bestellungen, etwa die Bestell- und die Versandbestätigung, erhalten Sie weiterhin.
label-newsletter_unsubscribe = Newsletter abbestellen
    .short = Newsletter abmelden

## Account and contact

answer-account_login = Um Ihr Passwort zurückzusetzen, klicken Sie auf der Anmeldeseite auf „Passwort vergessen?“. Wir schicken Ihnen dann per E-Mail einen Link, der 1 Stunde gültig ist. Falls die E-Mail nicht ankommt, schauen Sie bitte auch in Ihrem Spam-Ordner nach. Nach 5 falschen Passworteingaben wird Ihr Konto zu Ihrem Schutz für 15 Minuten gesperrt; danach können Sie es erneut versuchen.
label-account_login = Ich kann mich nicht anmelden
    .short = Anmeldeproblem
answer-business_hours = { $hours_kind ->
        [always] Unser Kundenservice ist täglich rund um die Uhr für Sie da. Auch ich helfe Ihnen jederzeit gern weiter, und bei Bedarf übernimmt jemand aus unserem Team.
       *[scheduled] Unser Kundenservice ist zu folgenden Zeiten für Sie da: { $hours } (Zeitzone: { $zone }). Ich selbst helfe Ihnen jederzeit gern weiter, und außerhalb der Servicezeiten können Sie eine Nachricht für das Team hinterlassen.
    }
label-business_hours = Servicezeiten
answer-contact_info = { $hours_kind ->
        [always] Sie erreichen uns täglich rund um die Uhr per E-Mail unter { $email } und telefonisch unter { $phone }. Oder schreiben Sie einfach hier: Ich helfe Ihnen sofort weiter, und bei Bedarf übernimmt jemand aus unserem Kundenservice.
       *[scheduled] Sie erreichen uns per E-Mail unter { $email } und telefonisch unter { $phone } zu unseren Servicezeiten: { $hours } (Zeitzone: { $zone }). Oder schreiben Sie einfach hier: Ich helfe Ihnen sofort weiter, und während der Servicezeiten kann auch jemand aus unserem Kundenservice übernehmen.
    }
label-contact_info = Kontaktdaten
