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
# Russian: { $carrier } stands after "служба доставки", so it never has to decline.

order-shipped = Ваш заказ { $order } отправлен { $shipped_on } службой доставки { $carrier } и должен прийти не позднее { $delivery_by }; отследить посылку можно здесь: { $tracking_url }
order-in-warehouse = Ваш заказ { $order } от { $ordered_on } ещё собирается на нашем складе и будет отправлен не позднее { $ships_by }
order-not-found = К сожалению, мне не удалось найти заказ с номером { $order }. Пожалуйста, проверьте номер в письме с подтверждением заказа.
order-cancelled = Ваш заказ { $order } отменён. Сумму { $refund } мы вернём тем же способом, которым Вы оплатили заказ, в течение 5 рабочих дней; после этого банку может понадобиться ещё 2–3 рабочих дня, чтобы деньги отразились на счёте.
order-cancel-too-late = Ваш заказ { $order } уже был отправлен { $shipped_on }, поэтому отменить его, к сожалению, нельзя. Когда посылка придёт, Вы сможете вернуть товар в течение 30 дней с момента доставки; этикетка для возврата бесплатная.
address-change-possible = Ваш заказ { $order } ещё не отправлен, поэтому Вы можете сами изменить адрес доставки до { $ships_by } здесь: { $url }
address-change-too-late = Ваш заказ { $order } уже передан службе доставки { $carrier }, поэтому изменить адрес мы, к сожалению, не можем. Возможно, служба доставки сможет перенаправить посылку: { $tracking_url }
