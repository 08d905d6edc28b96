# Every text a customer sees in the chat, apart from intent answers (intents.ftl).
# Numbers that choose a plural form go through PLURAL(), which uses ICU4X plural
# rules (CLDR); never select on a bare number variable.

## Conversation

greeting = Hallo! Ich bin der virtuelle Assistent des Shops. Wie kann ich Ihnen heute helfen?
not-understood = Entschuldigung, das habe ich nicht ganz verstanden. Könnten Sie es anders formulieren?
channel-unsupported-content = Entschuldigung, ich kann hier leider nur Textnachrichten lesen. Könnten Sie Ihre Frage bitte eintippen?
clarify = Ich bin mir nicht ganz sicher, was Sie meinen. Geht es um eines dieser Themen?
out-of-scope = Dabei kann ich Ihnen leider nicht weiterhelfen. Ich beantworte Fragen rund um unseren Shop: Bestellungen, Lieferung, Rücksendungen, Zahlungen und Ihr Kundenkonto. Was kann ich für Sie tun?
slot-order-number = Wie lautet Ihre Bestellnummer? Sie finden sie in der Bestellbestätigung, die wir Ihnen per E-Mail geschickt haben.
slot-order-number-again = Um nachsehen zu können, brauche ich Ihre Bestellnummer. Sie finden sie in der Bestellbestätigung, die wir Ihnen per E-Mail geschickt haben: eine 7-stellige Nummer, zum Beispiel 1004527.
slot-give-up = Ohne die Bestellnummer kann ich Ihre Bestellung leider nicht finden. Wenn Sie möchten, hole ich jemanden aus unserem Kundenservice dazu.
slot-give-up-offline = Ohne die Bestellnummer kann ich Ihre Bestellung leider nicht finden. Unser Kundenservice ist zurzeit nicht besetzt, aber über den Button „Zum Kundenservice“ unten können Sie Ihr Anliegen für das Team hinterlassen. Wir melden uns bei Ihnen, sobald wir wieder da sind.
contact-details-given = Vielen Dank für Ihre Kontaktdaten. Ich selbst kann Sie leider nicht anrufen oder anschreiben, aber wenn Sie möchten, hole ich jemanden aus unserem Kundenservice dazu, der sie sehen kann.
contact-details-given-offline = Vielen Dank für Ihre Kontaktdaten. Ich selbst kann Sie leider nicht anrufen oder anschreiben. Unser Kundenservice ist zurzeit nicht besetzt, aber über den Button „Zum Kundenservice“ unten können Sie Ihr Anliegen für das Team hinterlassen. Wir melden uns bei Ihnen, sobald wir wieder da sind.
slot-abandoned = Kein Problem! Wobei kann ich Ihnen sonst noch helfen?
confirmation-declined = In Ordnung, die Bestellung { $order } bleibt unverändert. Wobei kann ich Ihnen sonst noch helfen?
# Set before a question for the order number when the customer also sounds upset ("waited 2 weeks and nothing!!!").
sorry-for-the-trouble = Das tut mir leid, bitte entschuldigen Sie die Unannehmlichkeiten.
action-failed = Das kann ich gerade leider nicht prüfen, weil unser System im Moment nicht antwortet. Wenn Sie möchten, hole ich jemanden aus unserem Kundenservice dazu.
action-failed-offline = Das kann ich gerade leider nicht prüfen, weil unser System im Moment nicht antwortet. Unser Kundenservice ist zurzeit nicht besetzt, aber über den Button „Zum Kundenservice“ unten können Sie Ihr Anliegen für das Team hinterlassen. Wir melden uns bei Ihnen, sobald wir wieder da sind.
# The shop's system answered an order question with "a person must handle this"; the queue notice follows.
action-handoff = Das muss sich jemand aus unserem Kundenservice persönlich ansehen, deshalb gebe ich Ihre Anfrage an unser Team weiter.
# A quick-reply button: at most 20 characters (WhatsApp's limit).
quick-reply-talk-to-person = Zum Kundenservice
whatsapp-list-button = Optionen anzeigen

## "Did this help?"

feedback-ask = Hat Ihnen diese Antwort weitergeholfen?
quick-reply-yes = Ja, danke
quick-reply-no = Nein
feedback-thanks = Danke, das freut mich!
feedback-sorry = Das tut mir leid. Können Sie mir etwas genauer beschreiben, was Sie brauchen?

## Handoff to a person

handoff-queued = Sie sind auf Platz { $position } in der Warteschlange. Die Wartezeit beträgt voraussichtlich etwa { $minutes } { PLURAL($minutes) ->
        [one] Minute
       *[other] Minuten
    }.
handoff-queued-update = Danke für Ihre Geduld. Sie sind jetzt auf Platz { $position } in der Warteschlange – noch etwa { $minutes } { PLURAL($minutes) ->
        [one] Minute
       *[other] Minuten
    }.
handoff-queued-no-estimate = Sie sind auf Platz { $position } in der Warteschlange. Im Moment ist leider niemand aus unserem Kundenservice frei, deshalb kann ich Ihnen keine Wartezeit nennen. Sobald jemand frei wird, melden wir uns hier bei Ihnen. Sie können auch Ihre E-Mail-Adresse hier hinterlassen, dann bekommen Sie die Antwort per E-Mail.
handoff-queued-update-no-estimate = Danke für Ihre Geduld. Sie sind jetzt auf Platz { $position } in der Warteschlange. Sobald jemand aus unserem Kundenservice frei wird, melden wir uns hier bei Ihnen.
# Later in the queue than last told: earlier (given back by an agent) or more urgent requests went in ahead.
handoff-moved-back = Einige frühere oder dringendere Anfragen wurden vor Ihrer eingereiht, deshalb sind Sie jetzt auf Platz { $position } in der Warteschlange – noch etwa { $minutes } { PLURAL($minutes) ->
        [one] Minute
       *[other] Minuten
    }. Danke für Ihre Geduld.
handoff-moved-back-no-estimate = Einige frühere oder dringendere Anfragen wurden vor Ihrer eingereiht, deshalb sind Sie jetzt auf Platz { $position } in der Warteschlange. Sobald jemand aus unserem Kundenservice frei wird, melden wir uns hier bei Ihnen. Danke für Ihre Geduld.
# The same place, and only the estimate came, moved or went (an agent came, left or stepped away).
handoff-wait-update = Sie sind weiterhin auf Platz { $position } in der Warteschlange – die Wartezeit beträgt jetzt noch etwa { $minutes } { PLURAL($minutes) ->
        [one] Minute
       *[other] Minuten
    }.
handoff-wait-unknown = Sie sind weiterhin auf Platz { $position } in der Warteschlange. Im Moment ist leider niemand aus unserem Kundenservice frei, deshalb kann ich Ihnen keine Wartezeit nennen. Sobald jemand frei wird, melden wir uns hier bei Ihnen.
# The customer wrote while waiting for a person: said to the first message after each queue notice.
handoff-message-noted = Vielen Dank! Wer Ihren Chat übernimmt, sieht auch diese Nachricht. Sie sind weiterhin auf Platz { $position } in der Warteschlange.
handoff-assigned = { $agent } aus unserem Kundenservice ist jetzt für Sie da.
handoff-offline = Unser Kundenservice ist gerade nicht erreichbar und ab { $opens_at } wieder für Sie da. Wenn Sie hier Ihre E-Mail-Adresse hinterlassen, melden wir uns bei Ihnen, sobald wir wieder da sind.
# After a bot answer that already asked for the email address: only when the team is back.
handoff-offline-reopens = Unser Kundenservice ist gerade nicht erreichbar und ab { $opens_at } wieder für Sie da.
# Before the queue or offline notice, when the bot hands over because it could not help.
handoff-no-match = Es tut mir leid, dass ich Ihnen hier nicht selbst weiterhelfen konnte. Ich gebe Ihre Frage an unseren Kundenservice weiter.
handoff-returned = Sie chatten jetzt wieder mit dem virtuellen Assistenten. Wie kann ich Ihnen sonst noch helfen?
handoff-agent-left = Es tut mir leid, { $agent } musste den Chat verlassen. Sie behalten Ihren Platz in der Warteschlange, und sobald jemand aus unserem Kundenservice frei ist, melden wir uns hier bei Ihnen.
email-saved = Vielen Dank! Sobald unser Team wieder da ist, melden wir uns per E-Mail unter { $email } bei Ihnen.
email-saved-queued = Vielen Dank! Wir schicken Ihnen die Antwort an { $email }. Wenn Sie diesen Chat geöffnet lassen, antworten wir Ihnen außerdem hier, sobald jemand aus unserem Kundenservice frei ist.
queue-full = Das tut mir leid: Gerade sind alle Kolleginnen und Kollegen im Gespräch und die Warteschlange ist voll. Bitte versuchen Sie es in ein paar Minuten noch einmal; bis dahin helfe ich Ihnen gern hier weiter.
queue-left = Nach einer Weile ohne Aktivität wurde Ihr Platz in der Warteschlange freigegeben. Wenn Sie weiterhin jemanden aus unserem Kundenservice sprechen möchten, fragen Sie bitte einfach noch einmal.

## End of the conversation

closed-customer = Sie haben den Chat beendet. Vielen Dank, dass Sie sich an uns gewandt haben!
closed-agent = { $agent } hat den Chat beendet. Vielen Dank, dass Sie sich an uns gewandt haben!
survey-ask = Wie zufrieden waren Sie mit diesem Gespräch? Bitte wählen Sie einen Wert von 1 (schlecht) bis 5 (ausgezeichnet).
rating-thanks = Vielen Dank für Ihre Bewertung – sie hilft uns, noch besser zu werden.

## When support opens again: the value of $opens_at, in the support team's time zone

opens-at-mon = Montag, { $time } Uhr
opens-at-tue = Dienstag, { $time } Uhr
opens-at-wed = Mittwoch, { $time } Uhr
opens-at-thu = Donnerstag, { $time } Uhr
opens-at-fri = Freitag, { $time } Uhr
opens-at-sat = Samstag, { $time } Uhr
opens-at-sun = Sonntag, { $time } Uhr
opens-at-today = heute, { $time } Uhr

## Support hours: $hours in intents.ftl is built from these ("Monday–Friday 09:00–18:00").
## Weekday names as they stand in a list of opening hours; hours-always when support never closes.

day-mon = Montag
day-tue = Dienstag
day-wed = Mittwoch
day-thu = Donnerstag
day-fri = Freitag
day-sat = Samstag
day-sun = Sonntag
hours-always = täglich rund um die Uhr

## The help centre's pages (/help/<article>)

# The page for an article that does not exist (an old link, a typo).
help-not-found = Wir konnten diesen Hilfeartikel nicht finden. Vielleicht wurde er verschoben oder entfernt.
