# The text of each error code (PROTOCOL.md, "Error codes"). A customer may see
# these in the chat window: say what happened and what to do, never internal details.

error-hello_required = La conversation n’a pas encore commencé. Veuillez recharger la page et réessayer.
error-bad_request = Désolé, nous n’avons pas pu lire ce message. Veuillez le vérifier et l’envoyer à nouveau.
error-bad_request-empty = Votre message est vide. Veuillez saisir du texte avant de l’envoyer.
error-bad_request-too-long = Votre message est trop long. Veuillez ne pas dépasser { $max } { PLURAL($max) ->
        [one] caractère
        [many] caractères
       *[other] caractères
    }.
error-unknown_type = Désolé, la conversation a reçu un contenu qu’elle ne peut pas traiter. Veuillez actualiser la page et réessayer.
error-rate_limited = Vous envoyez des messages très rapidement. Veuillez patienter un instant, puis réessayer.
error-too_large = Ce message est trop volumineux pour être envoyé.
error-unsupported_data = Vous ne pouvez envoyer que du texte dans ce chat.
error-unauthorized = Vous n’êtes pas connecté ou votre session a expiré.
error-already_claimed = Un autre conseiller a déjà pris en charge cette conversation.
error-window_closed = Le dernier message de ce client date de plus de 24 heures : WhatsApp ne transmettra donc pas de réponse libre. Veuillez attendre qu’il écrive de nouveau.
error-not_found = Nous n’avons pas trouvé cette conversation.
error-internal = Désolé, un problème est survenu de notre côté. Veuillez réessayer dans quelques instants.
