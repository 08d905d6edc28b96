# Every text a customer sees in the chat, apart from intent answers (intents.ftl).
# Numbers that choose a plural form go through PLURAL(), which uses ICU4X plural
# rules (CLDR); never select on a bare number variable.

## Conversation

greeting = Hello! I'm the shop's virtual assistant. How can I help you today?
not-understood = Sorry, I didn't quite understand that. Could you put it another way?
# A Telegram or WhatsApp customer sent a photo, sticker, voice note or other non-text message.
channel-unsupported-content = Sorry, I can only read text messages here. Could you type your question, please?
clarify = I'm not quite sure what you mean. Is it one of these?
# The message is about something other than the shop (the weather, a restaurant).
out-of-scope = I'm afraid I can only help with questions about our shop: orders, delivery, returns, payments and your account. What can I do for you?
slot-order-number = Could you tell me your order number? You'll find it in your order confirmation email.
slot-order-number-again = To look this up, I need your order number. You'll find it in your order confirmation email: it has 7 digits, for example 1004527.
slot-give-up = I'm sorry, I can't look up your order without the order number. If you like, I can bring in a colleague from our support team.
slot-give-up-offline = I'm sorry, I can't look up your order without the order number. Our support team is offline at the moment, but you can leave your request for them with the "Talk to a person" button below, and they'll reply as soon as they're back.
contact-details-given = Thank you for your details. I can't contact you myself, but if you like, I can bring in a colleague from our support team, who will see them.
contact-details-given-offline = Thank you for your details. I can't contact you myself. Our support team is offline at the moment, but you can leave your request for them with the "Talk to a person" button below, and they'll reply as soon as they're back.
slot-abandoned = No problem! What else can I help you with?
confirmation-declined = All right, I'll leave order { $order } as it is. What else can I help you with?
# Set before a question for the order number when the customer also sounds upset ("waited 2 weeks and nothing!!!").
sorry-for-the-trouble = I'm sorry for the trouble.
action-failed = I'm sorry, I can't check that right now because our system isn't responding. If you like, I can bring in a colleague from our support team.
action-failed-offline = I'm sorry, I can't check that right now because our system isn't responding. Our support team is offline at the moment, but you can leave your request for them with the "Talk to a person" button below, and they'll reply as soon as they're back.
# The shop's system answered an order question with "a person must handle this"; the queue notice follows.
action-handoff = One of our colleagues needs to look at this personally, so I'm passing your request on to our support team.
# A quick-reply button: at most 20 characters (WhatsApp's limit).
quick-reply-talk-to-person = Talk to a person
# The button that opens a WhatsApp list of options: at most 20 characters.
whatsapp-list-button = See options

## "Did this help?"

feedback-ask = Did this answer help?
quick-reply-yes = Yes, thanks
quick-reply-no = No
feedback-thanks = Thank you, I'm glad I could help!
feedback-sorry = I'm sorry that didn't help. Could you tell me a little more about what you need?

## Handoff to a person

handoff-queued = You're number { $position } in the queue. The estimated wait is about { $minutes } { PLURAL($minutes) ->
        [one] minute
       *[other] minutes
    }.
handoff-queued-update = Thank you for waiting. You're now number { $position } in the queue, about { $minutes } { PLURAL($minutes) ->
        [one] minute
       *[other] minutes
    } to go.
handoff-queued-no-estimate = You're number { $position } in the queue. None of our colleagues is free right now, so I can't give you a waiting time, but one of them will reply as soon as they're free. You can also leave your email address here, and we'll send you the answer by email.
handoff-queued-update-no-estimate = Thank you for waiting. You're now number { $position } in the queue, and a colleague will reply as soon as one is free.
# Later in the queue than last told: earlier (given back by an agent) or more urgent requests went in ahead.
handoff-moved-back = Some earlier or more urgent requests have been placed ahead of yours, so you're now number { $position } in the queue, about { $minutes } { PLURAL($minutes) ->
        [one] minute
       *[other] minutes
    } to go. Thank you for your patience.
handoff-moved-back-no-estimate = Some earlier or more urgent requests have been placed ahead of yours, so you're now number { $position } in the queue. A colleague will reply as soon as one is free. Thank you for your patience.
# The same place, and only the estimate came, moved or went (an agent came, left or stepped away).
handoff-wait-update = You're still number { $position } in the queue, and the wait is now about { $minutes } { PLURAL($minutes) ->
        [one] minute
       *[other] minutes
    }.
handoff-wait-unknown = You're still number { $position } in the queue. None of our colleagues is free right now, so I can't give you a waiting time, but one of them will reply as soon as they're free.
# The customer wrote while waiting for a person: said to the first message after each queue notice.
handoff-message-noted = Thank you, the colleague who takes over your chat will see this message. You're still number { $position } in the queue.
handoff-assigned = { $agent } from our support team has joined the chat.
handoff-offline = Our support team is offline right now and will be back { $opens_at }. If you leave your email address here, we'll write to you as soon as we're back.
# After a bot answer that already asked for the email address: only when the team is back.
handoff-offline-reopens = Our support team is offline right now and will be back { $opens_at }.
# Before the queue or offline notice, when the bot hands over because it could not help.
handoff-no-match = I'm sorry I couldn't help you with this myself, so I'm passing your question on to our support team.
handoff-returned = You're chatting with the virtual assistant again. How else can I help?
handoff-agent-left = I'm sorry, { $agent } had to leave the chat. You keep your place in the queue, and the next colleague who is free will reply here.
email-saved = Thank you! We'll reply to { $email } as soon as our team is back.
email-saved-queued = Thank you! We'll send the answer to { $email }. If you keep this chat open, a colleague will also reply here as soon as one is free.
queue-full = I'm sorry, all our colleagues are busy and the queue is full right now. Please try again in a few minutes; in the meantime I'm happy to keep helping you here.
queue-left = After a while without activity, your place in the queue has been released. If you still need one of our colleagues, just ask again.

## End of the conversation

closed-customer = You've ended the chat. Thank you for contacting us!
closed-agent = { $agent } has closed the chat. Thank you for contacting us!
survey-ask = How would you rate this conversation? Please choose from 1 (poor) to 5 (excellent).
rating-thanks = Thank you for your rating, it helps us get better.

## When support opens again: the value of $opens_at, in the support team's time zone

opens-at-mon = on Monday at { $time }
opens-at-tue = on Tuesday at { $time }
opens-at-wed = on Wednesday at { $time }
opens-at-thu = on Thursday at { $time }
opens-at-fri = on Friday at { $time }
opens-at-sat = on Saturday at { $time }
opens-at-sun = on Sunday at { $time }
opens-at-today = today at { $time }

## Support hours: $hours in intents.ftl is built from these ("Monday–Friday 09:00–18:00").
## Weekday names as they stand in a list of opening hours; hours-always when support never closes.

day-mon = Monday
day-tue = Tuesday
day-wed = Wednesday
day-thu = Thursday
day-fri = Friday
day-sat = Saturday
day-sun = Sunday
hours-always = around the clock, every day

## The help centre's pages (/help/<article>)

# The page for an article that does not exist (an old link, a typo).
help-not-found = We couldn't find this help article. It may have been moved or removed.
