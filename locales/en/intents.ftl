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

answer-greet = Hello! How can I help you today? You can ask me about orders, deliveries, returns or payments.
label-greet = Hello
answer-goodbye = Goodbye, and thank you for visiting! If anything comes up, I'm here.
label-goodbye = Goodbye
answer-thanks = You're welcome! Is there anything else I can help you with?
label-thanks = Thank you
answer-dont_know = No problem. The order number is in your order confirmation email (7 digits, for example 1004527); if you have an account, it's also under "My orders". What can I help you with?
label-dont_know = I don't know
answer-affirm = Great! What else can I do for you?
label-affirm = Yes
answer-deny = All right. If there's anything else, just let me know.
label-deny = No
answer-bot_identity = I'm the shop's virtual assistant: a computer program, not a person. I can answer most questions straight away, and I can bring in a colleague from our support team whenever you like.
label-bot_identity = Am I talking to a bot?
    .short = Is this a bot?

## Going to a person

answer-human_agent = Of course, I'll bring in a colleague from our support team.
answer-human_agent-offline = I'd be glad to bring in a colleague, but our support team isn't available right now. If you leave your email address here, the team will reply to you as soon as they're back.
label-human_agent = Talk to a person
answer-complaint = I'm truly sorry about this, and I understand how frustrating it must be. Thank you for telling us; a colleague will look into it personally and with priority.
answer-complaint-offline = I'm truly sorry about this, and I understand how frustrating it must be. Thank you for telling us. Our support team isn't available right now: if you leave your email address here, a colleague will look into it personally and with priority as soon as the team is back, and reply to you by email.
label-complaint = Make a complaint
answer-account_delete = I understand you'd like your account or personal data deleted. For your security, a colleague from our support team handles this personally: they verify your identity and then delete your account and personal data within 30 days. Invoices and order records are kept for 10 years because tax law requires it, and used for nothing else.
answer-account_delete-offline = I understand you'd like your account or personal data deleted. For your security, a colleague from our support team handles this personally and first verifies your identity, but the team isn't available right now. If you leave your email address here, they'll get in touch with you as soon as they're back. Your account and personal data are then deleted within 30 days. Invoices and order records are kept for 10 years because tax law requires it, and used for nothing else.
label-account_delete = Delete my account

## Orders

answer-order_status = Thank you! For order { $order }, the tracking link in your shipping confirmation email shows where your parcel is right now; if you ordered with an account, you'll also find it under "My orders". Orders usually leave our warehouse within 1 business day, and the tracking can take up to 24 hours to show the first scan.
label-order_status = Where is my order?
answer-order_cancel = You can cancel order { $order } yourself under "My orders" as long as it hasn't been shipped. If it has already left our warehouse, you can refuse the delivery or send it back free of charge within 30 days.
confirm-order_cancel = Just to be sure: shall I cancel order { $order } for you?
label-order_cancel = Cancel an order
answer-change_address = You can change the delivery address of order { $order } under "My orders" until it has been shipped. Once it's on its way, please use the tracking link in your shipping email to redirect it with the carrier.
label-change_address = Change the delivery address
    .short = Change address
answer-delivery_delay = I'm sorry that order { $order } hasn't arrived yet. The tracking link in your shipping email shows its latest status; if it says delivered, please check with your neighbours, your building's reception and your mailbox. If it hasn't moved for 3 business days, please contact our support team here in the chat: we'll open an investigation with the carrier, which takes up to 10 business days. If the parcel is lost, we'll send a replacement or refund you in full, whichever you prefer.
label-delivery_delay = My order is late
answer-product_availability = Each product page shows the current stock for every size and colour. If something is sold out, click "Notify me" and we'll email you as soon as it's back.
label-product_availability = Is it in stock?

## Shipping, returns and refunds

answer-shipping_info = We ship to every EU country, the UK, Turkey and Malaysia. Standard delivery within the EU takes 2 to 4 business days and costs €4.90 (free on orders over €50); to the UK it takes 3 to 5 business days, and to Turkey and Malaysia 5 to 10 business days at a flat €14.90. Express delivery costs €9.90 and arrives the next business day if you order before 14:00 (CET) on a business day. Outside the EU, customs duties and import VAT may apply. We're an online-only shop, so orders can't be collected from a store, but you can have your parcel delivered to a pickup point near you for €3.90 (3 to 5 business days).
label-shipping_info = Shipping costs and times
    .short = Shipping info
answer-return_item = You can return unused items with their tags within 30 days of delivery. Start the return under "My orders", print the free return label (or show the QR code) and drop the parcel off at any pickup point. We don't exchange items directly: if you need a different size, please return the item this way and place a new order for the size you want. Underwear and swimwear with a broken hygiene seal, personalised items and opened software can't be returned. We refund you within 5 business days of receiving the parcel.
label-return_item = Return an item
answer-refund_request = Refunds go back to the payment method you used (or onto your gift card), within 5 business days of your return reaching us or of your cancellation; your bank may take another 2 to 3 business days to show it. If more than 10 business days have passed since we received your return and the money still isn't there, please tap "Talk to a person" below and a colleague will check what happened. Shipping costs are refunded when you return the whole order.
label-refund_request = Where is my refund?
answer-damaged_item = I'm really sorry your order arrived damaged or wasn't what you ordered. Please let us know as soon as possible, ideally within 14 days of delivery: take photos of the item and the packaging, then start a return under "My orders" with the reason "damaged" or "wrong item". We'll send a replacement or refund you, as you prefer, and the return is free. Please keep the packaging until your case is closed.
label-damaged_item = My item is damaged or wrong
    .short = Damaged/wrong item
answer-warranty = All our products come with a 2-year warranty from the delivery date. Start a claim under "My orders", describe the fault and add photos; we'll repair or replace the item, or refund you if neither is possible. The warranty doesn't cover normal wear and tear, misuse or accidental damage, such as a drop or a spill.
label-warranty = Warranty

## Payment and invoices

answer-payment_problem = I'm sorry about the trouble with your payment. If the payment didn't go through, please check the card details and billing address, confirm the payment in your bank's app if asked (3-D Secure), make sure your card is enabled for online payments and within its limit, or try another payment method. If you were charged twice, the second amount is usually a temporary hold left by a failed attempt, which your bank releases within 5 business days; if both charges are still on your bank statement after that, please send the statement to our support team and we'll refund the duplicate.
label-payment_problem = A problem with my payment
    .short = Payment problem
answer-payment_methods = We accept Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay and bank transfer. We don't offer payment in instalments or cash on delivery. If you pay by bank transfer, we ship your order once the payment arrives, which usually takes 1 to 2 business days.
label-payment_methods = Payment methods
answer-invoice_request = Your invoice is attached to the shipping confirmation email, and you can download it at any time under "My orders". If you need a company invoice, please add your company name and VAT number to your account before ordering. An invoice can't be changed once it's issued, but a colleague can issue a corrected one within 30 days.
label-invoice_request = Get an invoice
answer-discount_code = Discount codes go in the basket before payment, one code per order; a code can't be added after the order is placed. If a code doesn't work, please check its expiry date and minimum order value, and look out for extra spaces before or after it (upper or lower case doesn't matter). Codes don't apply to gift cards or already reduced items unless the code says so.
label-discount_code = My discount code doesn't work
    .short = Discount code issue
answer-subscription_cancel = You can cancel your membership at any time under "Account" > "Subscription". It stays active until the end of the period you've paid for, and you won't be charged again. If you cancel an annual membership within 14 days of buying it and haven't used it yet, we refund the full €49.
label-subscription_cancel = Cancel my membership
answer-newsletter_unsubscribe = You can stop our newsletter at any time: just click the unsubscribe link at the bottom of any newsletter, and you won't receive any more. You don't need to delete your account for this. Emails about your orders, such as the order and shipping confirmations, will still reach you.
label-newsletter_unsubscribe = Unsubscribe from the newsletter
    .short = Stop the newsletter

## Account and contact

answer-account_login = To reset your password, click "Forgot password?" on the sign-in page and we'll email you a link that's valid for 1 hour. If the email doesn't arrive, please check your spam folder. After 5 wrong passwords, your account is locked for 15 minutes to protect it; after that you can try again.
label-account_login = I can't sign in
answer-business_hours = { $hours_kind ->
        [always] Our support team is available around the clock, every day. I'm here to help at any time too, and a colleague can take over whenever you need one.
       *[scheduled] Our support team is available { $hours } (time zone: { $zone }). I'm here to help at any time, and outside support hours you can leave a message for the team.
    }
label-business_hours = Support hours
answer-contact_info = { $hours_kind ->
        [always] You can reach us by email at { $email } or by phone on { $phone }, around the clock, every day. Or just write here: I'll help you right away, and a colleague can take over whenever you need one.
       *[scheduled] You can reach us by email at { $email }, or by phone on { $phone } during our support hours: { $hours } (time zone: { $zone }). Or just write here: I'll help you right away, and during support hours a colleague can take over.
    }
label-contact_info = Contact details
