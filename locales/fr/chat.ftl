# Every text a customer sees in the chat, apart from intent answers (intents.ftl).
# Numbers that choose a plural form go through PLURAL(), which uses ICU4X plural
# rules (CLDR); never select on a bare number variable.

## Conversation

greeting = Bonjour ! Je suis l’assistant virtuel de la boutique. Comment puis-je vous aider aujourd’hui ?
not-understood = Désolé, je n’ai pas bien compris. Pourriez-vous reformuler votre demande ?
channel-unsupported-content = Désolé, ici je ne peux lire que les messages texte. Pourriez-vous écrire votre question, s’il vous plaît ?
clarify = Je ne suis pas sûr de bien comprendre. S’agit-il de l’un de ces sujets ?
out-of-scope = Je suis désolé, je ne peux vous aider que pour les questions concernant notre boutique : commandes, livraison, retours, paiements et votre compte. Que puis-je faire pour vous ?
slot-order-number = Pourriez-vous m’indiquer votre numéro de commande ? Vous le trouverez dans l’e-mail de confirmation de votre commande.
slot-order-number-again = Pour effectuer la recherche, j’ai besoin de votre numéro de commande. Vous le trouverez dans l’e-mail de confirmation de votre commande : il comporte 7 chiffres, par exemple 1004527.
slot-give-up = Sans le numéro de commande, je ne peux malheureusement pas retrouver votre commande. Si vous le souhaitez, je peux faire appel à un conseiller de notre service client.
slot-give-up-offline = Sans le numéro de commande, je ne peux malheureusement pas retrouver votre commande. Notre service client est actuellement fermé, mais le bouton « Parler à quelqu’un » ci-dessous vous permet de laisser votre demande à l’équipe, qui vous répondra dès son retour.
contact-details-given = Merci pour vos coordonnées. Je ne peux pas vous contacter moi-même, mais si vous le souhaitez, je peux faire appel à un conseiller de notre service client, qui pourra les consulter.
contact-details-given-offline = Merci pour vos coordonnées. Je ne peux pas vous contacter moi-même. Notre service client est actuellement fermé, mais le bouton « Parler à quelqu’un » ci-dessous vous permet de laisser votre demande à l’équipe, qui vous répondra dès son retour.
slot-abandoned = Pas de problème ! Que puis-je faire d’autre pour vous ?
confirmation-declined = Très bien, la commande { $order } reste inchangée. Que puis-je faire d’autre pour vous ?
# Set before a question for the order number when the customer also sounds upset ("waited 2 weeks and nothing!!!").
sorry-for-the-trouble = Je suis vraiment désolé pour ce désagrément.
action-failed = Désolé, je ne peux pas vérifier cela pour le moment : notre système ne répond pas. Si vous le souhaitez, je peux faire appel à un conseiller de notre service client.
action-failed-offline = Désolé, je ne peux pas vérifier cela pour le moment : notre système ne répond pas. Notre service client est actuellement fermé, mais le bouton « Parler à quelqu’un » ci-dessous vous permet de laisser votre demande à l’équipe, qui vous répondra dès son retour.
# The shop's system answered an order question with "a person must handle this"; the queue notice follows.
action-handoff = Un conseiller doit examiner cela personnellement : je transmets donc votre demande à notre service client.
# A quick-reply button: at most 20 characters (WhatsApp's limit).
quick-reply-talk-to-person = Parler à quelqu’un
whatsapp-list-button = Voir les options

## "Did this help?"

feedback-ask = Cette réponse vous a-t-elle été utile ?
quick-reply-yes = Oui, merci
quick-reply-no = Non
feedback-thanks = Merci, je suis ravi d’avoir pu vous aider !
feedback-sorry = Désolé que cette réponse n’ait pas suffi. Pourriez-vous m’en dire un peu plus sur ce dont vous avez besoin ?

## Handoff to a person

handoff-queued = Vous êtes en position { $position } dans la file d’attente. Le temps d’attente estimé est d’environ { $minutes } { PLURAL($minutes) ->
        [one] minute
        [many] minutes
       *[other] minutes
    }.
handoff-queued-update = Merci de votre patience. Vous êtes maintenant en position { $position } dans la file d’attente, encore environ { $minutes } { PLURAL($minutes) ->
        [one] minute
        [many] minutes
       *[other] minutes
    } d’attente.
handoff-queued-no-estimate = Vous êtes en position { $position } dans la file d’attente. Aucun conseiller n’est disponible pour le moment, je ne peux donc pas vous indiquer de temps d’attente : le premier conseiller disponible vous répondra. Vous pouvez aussi nous laisser ici votre adresse e-mail pour recevoir la réponse par e-mail.
handoff-queued-update-no-estimate = Merci de votre patience. Vous êtes maintenant en position { $position } dans la file d’attente ; le premier conseiller disponible vous répondra.
# Later in the queue than last told: earlier (given back by an agent) or more urgent requests went in ahead.
handoff-moved-back = Des demandes plus anciennes ou plus urgentes sont passées avant la vôtre : vous êtes maintenant en position { $position } dans la file d’attente, encore environ { $minutes } { PLURAL($minutes) ->
        [one] minute
        [many] minutes
       *[other] minutes
    } d’attente. Merci de votre patience.
handoff-moved-back-no-estimate = Des demandes plus anciennes ou plus urgentes sont passées avant la vôtre : vous êtes maintenant en position { $position } dans la file d’attente ; le premier conseiller disponible vous répondra. Merci de votre patience.
# The same place, and only the estimate came, moved or went (an agent came, left or stepped away).
handoff-wait-update = Vous êtes toujours en position { $position } dans la file d’attente ; l’attente est maintenant d’environ { $minutes } { PLURAL($minutes) ->
        [one] minute
        [many] minutes
       *[other] minutes
    }.
handoff-wait-unknown = Vous êtes toujours en position { $position } dans la file d’attente. Aucun conseiller n’est disponible pour le moment, je ne peux donc pas vous indiquer de temps d’attente : le premier conseiller disponible vous répondra.
# The customer wrote while waiting for a person: said to the first message after each queue notice.
handoff-message-noted = Merci, le conseiller qui prendra en charge votre conversation verra aussi ce message. Vous êtes toujours en position { $position } dans la file d’attente.
handoff-assigned = { $agent }, de notre service client, a rejoint la conversation.
handoff-offline = Notre service client est actuellement fermé et rouvrira { $opens_at }. Si vous nous laissez ici votre adresse e-mail, nous vous écrirons dès sa réouverture.
# After a bot answer that already asked for the email address: only when the team is back.
handoff-offline-reopens = Notre service client est actuellement fermé et rouvrira { $opens_at }.
# Before the queue or offline notice, when the bot hands over because it could not help.
handoff-no-match = Je suis désolé de ne pas avoir pu vous aider sur ce point. Je transmets votre question à notre service client.
handoff-returned = Vous discutez de nouveau avec l’assistant virtuel. Que puis-je faire d’autre pour vous ?
handoff-agent-left = Je suis désolé, { $agent } a dû quitter la conversation. Vous gardez votre place dans la file d’attente, et le prochain conseiller disponible vous répondra ici.
email-saved = Merci ! Nous vous écrirons à l’adresse { $email } dès le retour de notre équipe.
email-saved-queued = Merci ! Nous vous enverrons la réponse à l’adresse { $email }. Si vous gardez cette conversation ouverte, le premier conseiller disponible vous répondra aussi ici.
queue-full = Je suis désolé, tous nos conseillers sont occupés et la file d’attente est pleine pour le moment. Veuillez réessayer dans quelques minutes ; en attendant, je peux continuer à vous aider ici.
queue-left = Après un moment d’inactivité, votre place dans la file d’attente a été libérée. Si vous souhaitez toujours parler à un conseiller, il vous suffit de le redemander.

## End of the conversation

closed-customer = Vous avez mis fin à la conversation. Merci de nous avoir contactés !
closed-agent = { $agent } a clôturé la conversation. Merci de nous avoir contactés !
survey-ask = Comment évalueriez-vous cette conversation ? Choisissez une note de 1 (mauvaise) à 5 (excellente).
rating-thanks = Merci pour votre note, elle nous aide à nous améliorer.

## When support opens again: the value of $opens_at, in the support team's time zone

opens-at-mon = lundi à { $time }
opens-at-tue = mardi à { $time }
opens-at-wed = mercredi à { $time }
opens-at-thu = jeudi à { $time }
opens-at-fri = vendredi à { $time }
opens-at-sat = samedi à { $time }
opens-at-sun = dimanche à { $time }
opens-at-today = aujourd’hui à { $time }

## Support hours: $hours in intents.ftl is built from these ("Monday–Friday 09:00–18:00").
## Weekday names as they stand in a list of opening hours; hours-always when support never closes.

day-mon = lundi
day-tue = mardi
day-wed = mercredi
day-thu = jeudi
day-fri = vendredi
day-sat = samedi
day-sun = dimanche
hours-always = 24 h/24, 7 j/7

## The help centre's pages (/help/<article>)

# The page for an article that does not exist (an old link, a typo).
help-not-found = Nous n'avons pas trouvé cet article d'aide. Il a peut-être été déplacé ou supprimé.
