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
# Latvian: dates arrive in a fixed case, so they stand after a colon or in parentheses.

order-shipped = Jūsu pasūtījums { $order } ir nosūtīts ar kurjerdienestu { $carrier } (nosūtīšanas datums: { $shipped_on }). Paredzamais piegādes termiņš: { $delivery_by }. Sūtījumu varat izsekot šeit: { $tracking_url }
order-in-warehouse = Jūsu pasūtījums { $order } (pasūtīšanas datums: { $ordered_on }) vēl tiek sagatavots mūsu noliktavā. Plānotais nosūtīšanas termiņš: { $ships_by }.
order-not-found = Diemžēl nevaru atrast pasūtījumu ar numuru { $order }. Lūdzu, pārbaudiet numuru pasūtījuma apstiprinājuma e-pastā.
order-cancelled = Jūsu pasūtījums { $order } ir atcelts. Summu { $refund } atmaksāsim ar to pašu maksājuma veidu, ar kuru norēķinājāties, 5 darba dienu laikā; pēc tam bankai var būt vajadzīgas vēl 2–3 darba dienas, lai summa parādītos Jūsu kontā.
order-cancel-too-late = Jūsu pasūtījums { $order } jau ir nosūtīts (nosūtīšanas datums: { $shipped_on }), tāpēc to vairs nevar atcelt. Kad sūtījums būs pienācis, preci varēsiet atgriezt 30 dienu laikā no piegādes dienas; atgriešanas uzlīme ir bez maksas.
address-change-possible = Jūsu pasūtījums { $order } vēl nav nosūtīts, tāpēc piegādes adresi varat nomainīt patstāvīgi. Adreses maiņas termiņš: { $ships_by }. To var izdarīt šeit: { $url }
address-change-too-late = Jūsu pasūtījums { $order } jau ir nodots kurjerdienestam { $carrier }, tāpēc adresi mēs vairs nevaram mainīt. Iespējams, kurjerdienests var sūtījumu pāradresēt; to varat pārbaudīt šeit: { $tracking_url }
