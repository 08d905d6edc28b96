# Messages of the business actions: the company's backend answers an order
# lookup, a cancellation or an address change by naming one of these messages
# (the code never chooses them) and sends its variables, all as ready-formatted
# strings (dates written for this locale, amounts with their currency):
#   order-shipped            $order, $carrier, $tracking_url, $shipped_on, $delivery_by
#   order-in-warehouse       $order, $ordered_on, $ships_by
#   order-not-found          $order
#   order-cancelled          $order, $refund
#   order-cancel-too-late    $order, $shipped_on
#   address-change-possible  $order, $ships_by, $url
#   address-change-too-late  $order, $carrier, $tracking_url
# Refund and return terms must match knowledge/<lang>/refunds.md and returns.md.

order-shipped = Your order { $order } was shipped on { $shipped_on } with { $carrier } and should arrive by { $delivery_by }. You can track it here: { $tracking_url }
order-in-warehouse = Your order { $order }, placed on { $ordered_on }, is still being prepared in our warehouse and will be shipped by { $ships_by }.
order-not-found = I'm sorry, I can't find an order with the number { $order }. Could you check the number in your order confirmation email?
order-cancelled = Your order { $order } has been cancelled. We'll refund { $refund } to your original payment method within 5 business days; your bank may take another 2 to 3 business days to show it.
order-cancel-too-late = Your order { $order } was already shipped on { $shipped_on }, so it can't be cancelled any more. Once it arrives, you can return it within 30 days of delivery, and the return label is free.
address-change-possible = Your order { $order } hasn't been shipped yet, so you can change the delivery address yourself until { $ships_by } here: { $url }
address-change-too-late = Your order { $order } has already left with { $carrier }, so we can no longer change the address. The carrier may be able to redirect the parcel: { $tracking_url }
