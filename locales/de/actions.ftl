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

order-shipped = Ihre Bestellung { $order } wurde am { $shipped_on } mit { $carrier } verschickt und sollte bis zum { $delivery_by } bei Ihnen sein. Hier können Sie die Sendung verfolgen: { $tracking_url }
order-in-warehouse = Ihre Bestellung { $order } vom { $ordered_on } wird gerade in unserem Lager vorbereitet und spätestens am { $ships_by } verschickt.
order-not-found = Eine Bestellung mit der Nummer { $order } kann ich leider nicht finden. Bitte prüfen Sie die Nummer noch einmal in der Bestellbestätigung, die wir Ihnen per E-Mail geschickt haben.
order-cancelled = Ihre Bestellung { $order } ist storniert. Den Betrag von { $refund } erstatten wir innerhalb von 5 Werktagen über die Zahlungsart, mit der Sie bezahlt haben; danach kann Ihre Bank noch 2 bis 3 Werktage brauchen, bis die Gutschrift erscheint.
order-cancel-too-late = Ihre Bestellung { $order } wurde bereits am { $shipped_on } verschickt und kann deshalb nicht mehr storniert werden. Sobald sie bei Ihnen angekommen ist, können Sie sie innerhalb von 30 Tagen nach der Lieferung zurücksenden – das Rücksendeetikett ist kostenlos.
address-change-possible = Ihre Bestellung { $order } ist noch nicht verschickt. Die Lieferadresse können Sie deshalb bis zum { $ships_by } selbst ändern, und zwar hier: { $url }
address-change-too-late = Ihre Bestellung { $order } ist bereits mit { $carrier } unterwegs, deshalb können wir die Adresse nicht mehr ändern. Möglicherweise kann der Versanddienstleister das Paket noch umleiten: { $tracking_url }
