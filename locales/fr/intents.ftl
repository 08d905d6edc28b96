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

answer-greet = Bonjour ! Comment puis-je vous aider aujourd’hui ? Vous pouvez me poser vos questions sur les commandes, les livraisons, les retours ou les paiements.
label-greet = Bonjour
answer-goodbye = Au revoir et merci de votre visite ! Si vous avez besoin de quoi que ce soit, je suis là.
label-goodbye = Au revoir
answer-thanks = Avec plaisir ! Puis-je vous aider pour autre chose ?
label-thanks = Merci
answer-dont_know = Pas de souci. Le numéro de commande figure dans l’e-mail de confirmation de votre commande (7 chiffres, par exemple 1004527) ; si vous avez un compte, vous le retrouvez aussi dans « Mes commandes ». Que puis-je faire pour vous ?
label-dont_know = Je ne sais pas
answer-affirm = Parfait ! Que puis-je faire d’autre pour vous ?
label-affirm = Oui
answer-deny = Très bien. Si vous avez besoin d’autre chose, n’hésitez pas à me le dire.
label-deny = Non
answer-bot_identity = Je suis l’assistant virtuel de la boutique : un programme informatique, pas une personne. Je peux répondre tout de suite à la plupart des questions et, quand vous le souhaitez, faire appel à un conseiller de notre service client.
label-bot_identity = Est-ce que je parle à un robot ?
    .short = Êtes-vous un robot ?

## Going to a person

answer-human_agent = Bien sûr, je fais appel à un conseiller de notre service client.
answer-human_agent-offline = Je ferais volontiers appel à un conseiller, mais notre service client n’est pas disponible pour le moment. Si vous nous laissez ici votre adresse e-mail, l’équipe vous répondra dès son retour.
label-human_agent = Parler à un conseiller
    .short = Parler à quelqu’un
answer-complaint = Je suis sincèrement désolé pour ce désagrément et je comprends tout à fait votre mécontentement. Merci de nous l’avoir signalé : un conseiller va s’en occuper personnellement et en priorité.
answer-complaint-offline = Je suis sincèrement désolé pour ce désagrément et je comprends tout à fait votre mécontentement. Merci de nous l’avoir signalé. Notre service client n’est pas disponible pour le moment : si vous nous laissez ici votre adresse e-mail, un conseiller s’en occupera personnellement et en priorité dès le retour de l’équipe, et vous répondra par e-mail.
label-complaint = Faire une réclamation
    .short = Réclamation
answer-account_delete = Vous souhaitez supprimer votre compte ou vos données personnelles. Pour votre sécurité, un conseiller de notre service client s’en charge personnellement : après avoir vérifié votre identité, il supprime votre compte et vos données personnelles dans les 30 jours. Vos factures et l’historique de vos commandes sont conservés 10 ans, comme l’exige la législation fiscale, et ne servent à rien d’autre.
answer-account_delete-offline = Vous souhaitez supprimer votre compte ou vos données personnelles. Pour votre sécurité, un conseiller de notre service client s’en charge personnellement, après avoir vérifié votre identité. Notre équipe n’est toutefois pas disponible pour le moment : si vous nous laissez ici votre adresse e-mail, elle vous contactera dès son retour. Votre compte et vos données personnelles seront ensuite supprimés dans les 30 jours. Vos factures et l’historique de vos commandes sont conservés 10 ans, comme l’exige la législation fiscale, et ne servent à rien d’autre.
label-account_delete = Supprimer mon compte

## Orders

answer-order_status = Merci ! Pour la commande { $order }, le lien de suivi figurant dans votre e-mail de confirmation d’expédition vous indique où se trouve votre colis en ce moment ; si vous avez commandé avec un compte, vous le retrouvez aussi dans « Mes commandes ». Nos commandes quittent généralement l’entrepôt sous 1 jour ouvré, et le premier scan peut mettre jusqu’à 24 heures à apparaître sur le suivi.
label-order_status = Où en est ma commande ?
    .short = Suivi de commande
answer-order_cancel = Vous pouvez annuler vous-même la commande { $order } dans « Mes commandes » tant qu’elle n’a pas été expédiée. Si elle a déjà quitté notre entrepôt, vous pouvez refuser la livraison ou nous la retourner gratuitement sous 30 jours.
confirm-order_cancel = Pour être sûr : souhaitez-vous que j’annule la commande { $order } ?
label-order_cancel = Annuler une commande
answer-change_address = Vous pouvez modifier l’adresse de livraison de la commande { $order } dans « Mes commandes » jusqu’à son expédition. Une fois le colis en route, utilisez le lien de suivi de votre e-mail d’expédition pour le faire rediriger par le transporteur.
label-change_address = Modifier l’adresse de livraison
    .short = Modifier l’adresse
answer-delivery_delay = Je suis désolé que la commande { $order } ne soit pas encore arrivée. Le lien de suivi de votre e-mail d’expédition indique son dernier statut ; s’il affiche « livré », renseignez-vous auprès de vos voisins et de l’accueil de votre immeuble, et vérifiez votre boîte aux lettres. Si le colis n’a pas bougé depuis 3 jours ouvrés, contactez notre service client ici, dans le chat : nous ouvrirons une enquête auprès du transporteur, qui prend jusqu’à 10 jours ouvrés. Si le colis est perdu, nous vous envoyons un nouveau colis ou vous remboursons intégralement, selon votre préférence.
label-delivery_delay = Ma commande est en retard
    .short = Commande en retard
answer-product_availability = Chaque fiche produit indique la disponibilité de chaque taille et de chaque couleur. Si un article est épuisé, cliquez sur « Me prévenir » et nous vous enverrons un e-mail dès son retour en stock.
label-product_availability = Est-ce disponible ?

## Shipping, returns and refunds

answer-shipping_info = Nous livrons dans tous les pays de l’UE, au Royaume-Uni, en Turquie et en Malaisie. Dans l’UE, la livraison standard prend 2 à 4 jours ouvrés et coûte 4,90 € (offerte pour toute commande de plus de 50 €) ; comptez 3 à 5 jours ouvrés pour le Royaume-Uni, et 5 à 10 jours ouvrés pour la Turquie et la Malaisie, au tarif forfaitaire de 14,90 €. La livraison express coûte 9,90 € et arrive le jour ouvré suivant si vous commandez un jour ouvré avant 14 h (heure d’Europe centrale). Hors UE, des droits de douane et une TVA à l’importation peuvent s’appliquer. Nous sommes une boutique exclusivement en ligne : le retrait en magasin n’est donc pas possible, mais vous pouvez vous faire livrer en point relais près de chez vous pour 3,90 € (3 à 5 jours ouvrés).
label-shipping_info = Frais et délais de livraison
    .short = Infos livraison
answer-return_item = Vous pouvez retourner vos articles non utilisés, avec leurs étiquettes, dans les 30 jours suivant la livraison. Lancez le retour depuis « Mes commandes », imprimez l’étiquette de retour gratuite (ou présentez le QR code) et déposez le colis dans n’importe quel point relais. Nous ne faisons pas d’échange direct : pour une autre taille, retournez l’article de cette façon et passez une nouvelle commande dans la taille souhaitée. Les sous-vêtements et maillots de bain dont le scellé d’hygiène a été rompu, les articles personnalisés et les logiciels ouverts ne peuvent pas être retournés. Nous vous remboursons sous 5 jours ouvrés après réception du colis.
label-return_item = Retourner un article
answer-refund_request = Le remboursement est effectué sur le moyen de paiement que vous avez utilisé (ou sur votre carte cadeau), sous 5 jours ouvrés après réception de votre retour ou après l’annulation ; votre banque peut mettre encore 2 à 3 jours ouvrés à l’afficher. Si plus de 10 jours ouvrés se sont écoulés depuis la réception de votre retour et que vous n’avez toujours rien reçu, appuyez sur le bouton « Parler à un conseiller » ci-dessous : nous vérifierons ce qui s’est passé. Les frais de livraison sont remboursés si vous retournez l’intégralité de la commande.
label-refund_request = Où en est mon remboursement ?
    .short = Mon remboursement
answer-damaged_item = Je suis vraiment désolé que votre commande soit arrivée endommagée ou ne corresponde pas à ce que vous aviez commandé. Signalez-le-nous le plus tôt possible, idéalement dans les 14 jours suivant la livraison : prenez des photos de l’article et de l’emballage, puis lancez un retour depuis « Mes commandes » avec le motif « Endommagé » ou « Mauvais article ». Nous vous enverrons un article de remplacement ou vous rembourserons, selon votre préférence, et le retour est gratuit. Merci de conserver l’emballage jusqu’à la clôture de votre dossier.
label-damaged_item = Article endommagé ou non conforme
    .short = Abîmé/non conforme
answer-warranty = Tous nos produits sont garantis 2 ans à compter de la date de livraison. Pour faire jouer la garantie, faites une demande depuis « Mes commandes » en décrivant le défaut et en ajoutant des photos : nous réparerons ou remplacerons l’article, ou nous vous le rembourserons si aucune de ces solutions n’est possible. La garantie ne couvre ni l’usure normale, ni la mauvaise utilisation, ni les dommages accidentels (chute, liquide renversé…).
label-warranty = Garantie

## Payment and invoices

answer-payment_problem = Je suis désolé pour ce souci de paiement. Si le paiement n’a pas abouti, vérifiez les informations de votre carte et votre adresse de facturation, validez le paiement dans l’application de votre banque si elle vous le demande (3-D Secure), assurez-vous que votre carte est activée pour les paiements en ligne et que son plafond le permet, ou essayez un autre moyen de paiement. Si vous avez été débité deux fois, le second montant est généralement une autorisation temporaire laissée par une tentative échouée, que votre banque libère sous 5 jours ouvrés ; si les deux débits figurent toujours sur votre relevé après ce délai, envoyez ce relevé à notre service client et nous vous rembourserons le paiement en double.
label-payment_problem = Problème de paiement
answer-payment_methods = Nous acceptons Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay et le virement bancaire. Nous ne proposons ni le paiement en plusieurs fois ni le paiement à la livraison. Avec le virement bancaire, votre commande est expédiée dès réception de votre paiement, ce qui prend généralement 1 à 2 jours ouvrés.
label-payment_methods = Moyens de paiement
answer-invoice_request = Votre facture est jointe à l’e-mail de confirmation d’expédition, et vous pouvez la télécharger à tout moment dans « Mes commandes ». Pour une facture au nom de votre entreprise, ajoutez le nom de l’entreprise et votre numéro de TVA à votre compte avant de commander. Une facture ne peut plus être modifiée une fois émise, mais un conseiller peut établir une facture rectifiée dans les 30 jours.
label-invoice_request = Obtenir une facture
answer-discount_code = Le code promo se saisit dans le panier avant le paiement, un seul code par commande ; il ne peut plus être ajouté une fois la commande passée. Si un code ne fonctionne pas, vérifiez sa date d’expiration et le montant minimum de commande, et qu’aucun espace ne s’est glissé au début ou à la fin (majuscules et minuscules n’ont pas d’importance). Sauf mention contraire dans leurs conditions, les codes ne s’appliquent ni aux cartes cadeaux ni aux articles déjà soldés.
label-discount_code = Mon code promo ne fonctionne pas
    .short = Code promo refusé
answer-subscription_cancel = Vous pouvez résilier votre adhésion à tout moment dans « Compte » > « Abonnement ». Elle reste active jusqu’à la fin de la période déjà payée, et aucun autre prélèvement ne sera effectué. Si vous résiliez une adhésion annuelle dans les 14 jours suivant l’achat sans l’avoir utilisée, nous vous remboursons l’intégralité des 49 €.
label-subscription_cancel = Résilier mon adhésion
    .short = Résilier l’adhésion
answer-newsletter_unsubscribe = Vous pouvez vous désabonner de notre newsletter à tout moment : cliquez simplement sur le lien de désinscription en bas de n’importe quelle newsletter, et vous ne la recevrez plus. Inutile de supprimer votre compte pour cela. Les e-mails liés à vos commandes, comme les confirmations de commande et d’expédition, continueront de vous être envoyés.
label-newsletter_unsubscribe = Se désabonner de la newsletter
    .short = Se désabonner

## Account and contact

answer-account_login = Pour réinitialiser votre mot de passe, cliquez sur « Mot de passe oublié ? » sur la page de connexion : nous vous enverrons par e-mail un lien valable 1 heure. Si l’e-mail n’arrive pas, pensez à vérifier votre dossier de courrier indésirable. Après 5 saisies erronées du mot de passe, votre compte est bloqué pendant 15 minutes pour votre sécurité ; vous pourrez ensuite réessayer.
label-account_login = Je n’arrive pas à me connecter
    .short = Connexion impossible
answer-business_hours = { $hours_kind ->
        [always] Notre service client est disponible 24 h/24, 7 j/7. Je reste moi aussi à votre disposition à tout moment, et un conseiller peut prendre le relais dès que vous en avez besoin.
       *[scheduled] Notre service client est disponible aux horaires suivants : { $hours } (fuseau horaire : { $zone }). Pour ma part, je reste à votre disposition à tout moment, et en dehors de ces horaires, vous pouvez laisser un message à l’équipe.
    }
label-business_hours = Horaires du service client
    .short = Horaires d’ouverture
answer-contact_info = { $hours_kind ->
        [always] Vous pouvez nous joindre 24 h/24, 7 j/7, par e-mail à { $email } ou par téléphone au { $phone }. Ou écrivez-moi simplement ici : je vous aide tout de suite, et un conseiller peut prendre le relais dès que vous en avez besoin.
       *[scheduled] Vous pouvez nous joindre par e-mail à { $email } ou par téléphone au { $phone } pendant les horaires du service client : { $hours } (fuseau horaire : { $zone }). Ou écrivez-moi simplement ici : je vous aide tout de suite et, aux heures d’ouverture, un conseiller peut prendre le relais.
    }
label-contact_info = Nous contacter
