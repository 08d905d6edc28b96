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

order-shipped = Su pedido { $order } se envió el { $shipped_on } con { $carrier } y debería llegarle, como muy tarde, el { $delivery_by }. Puede seguir el envío aquí: { $tracking_url }
order-in-warehouse = Su pedido { $order }, realizado el { $ordered_on }, todavía se está preparando en nuestro almacén y se enviará, como muy tarde, el { $ships_by }.
order-not-found = Lo siento, no encuentro ningún pedido con el número { $order }. ¿Podría comprobar el número en el correo de confirmación del pedido?
order-cancelled = Su pedido { $order } se ha cancelado. Le reembolsaremos { $refund } mediante el mismo método de pago que utilizó, en un plazo de 5 días laborables; después, su banco puede tardar otros 2 o 3 días laborables en reflejar el importe.
order-cancel-too-late = Su pedido { $order } ya se envió el { $shipped_on }, así que ya no se puede cancelar. Cuando lo reciba, puede devolverlo en un plazo de 30 días desde la entrega; la etiqueta de devolución es gratuita.
address-change-possible = Su pedido { $order } aún no se ha enviado, así que puede cambiar la dirección de entrega por su cuenta hasta el { $ships_by } aquí: { $url }
address-change-too-late = Su pedido { $order } ya ha salido con { $carrier }, por lo que no podemos cambiar la dirección. Es posible que la empresa de transporte pueda redirigirlo: { $tracking_url }
