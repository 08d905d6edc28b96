# The text of each error code (PROTOCOL.md, "Error codes"). A customer may see
# these in the chat window: say what happened and what to do, never internal details.

error-hello_required = The chat hasn't started yet. Please reload the page and try again.
error-bad_request = Sorry, we couldn't read that message. Please check it and send it again.
error-bad_request-empty = Your message is empty. Please type something before sending.
error-bad_request-too-long = Your message is too long. Please keep it to at most { $max } characters.
error-unknown_type = Sorry, the chat received something it doesn't understand. Please update the page and try again.
error-rate_limited = You're sending messages very quickly. Please wait a moment and try again.
error-too_large = That message is too large to send.
error-unsupported_data = Only text can be sent in this chat.
error-unauthorized = You're not signed in, or your sign-in has expired.
error-already_claimed = A colleague has already taken this conversation.
error-window_closed = This customer last wrote more than 24 hours ago, so WhatsApp will not deliver a free-form reply. Wait until they write again.
error-not_found = We couldn't find that conversation.
error-internal = Sorry, something went wrong on our side. Please try again in a moment.
