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

order-shipped = Votre commande { $order } a été expédiée le { $shipped_on } par { $carrier } et devrait vous être livrée d’ici le { $delivery_by }. Vous pouvez suivre votre colis ici : { $tracking_url }
order-in-warehouse = Votre commande { $order }, passée le { $ordered_on }, est encore en cours de préparation dans notre entrepôt et sera expédiée au plus tard le { $ships_by }.
order-not-found = Je ne trouve aucune commande portant le numéro { $order }. Pourriez-vous vérifier ce numéro dans l’e-mail de confirmation de votre commande ?
order-cancelled = Votre commande { $order } a bien été annulée. Nous vous rembourserons { $refund } sur le moyen de paiement utilisé lors de la commande, sous 5 jours ouvrés ; votre banque peut ensuite mettre encore 2 à 3 jours ouvrés à l’afficher.
order-cancel-too-late = Votre commande { $order } a déjà été expédiée le { $shipped_on } : elle ne peut donc plus être annulée. Une fois livrée, vous pourrez nous la retourner dans les 30 jours suivant la livraison, avec l’étiquette de retour gratuite.
address-change-possible = Votre commande { $order } n’a pas encore été expédiée : vous pouvez donc modifier vous-même l’adresse de livraison jusqu’au { $ships_by }, ici : { $url }
address-change-too-late = Votre commande { $order } a déjà été remise au transporteur { $carrier } : nous ne pouvons donc plus modifier l’adresse. Celui-ci pourra peut-être réacheminer le colis : { $tracking_url }
