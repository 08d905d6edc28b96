# The text of each error code (PROTOCOL.md, "Error codes"). A customer may see
# these in the chat window: say what happened and what to do, never internal details.

error-hello_required = El chat aún no se ha iniciado. Vuelva a cargar la página e inténtelo de nuevo.
error-bad_request = Lo sentimos, no hemos podido leer ese mensaje. Revíselo y vuelva a enviarlo.
error-bad_request-empty = Su mensaje está vacío. Escriba algo antes de enviarlo.
error-bad_request-too-long = Su mensaje es demasiado largo. Acórtelo a un máximo de { $max } { PLURAL($max) ->
        [one] carácter
        [many] caracteres
       *[other] caracteres
    }.
error-unknown_type = Lo sentimos, el chat ha recibido algo que no puede procesar. Actualice la página e inténtelo de nuevo.
error-rate_limited = Está enviando mensajes muy rápido. Espere un momento y vuelva a intentarlo.
error-too_large = Ese mensaje es demasiado grande para enviarlo.
error-unsupported_data = En este chat solo se puede enviar texto.
error-unauthorized = No ha iniciado sesión o su sesión ha caducado.
error-already_claimed = Otro compañero ya se ha hecho cargo de esta conversación.
error-window_closed = El último mensaje de este cliente es de hace más de 24 horas, por lo que WhatsApp no entregará una respuesta de formato libre. Espere a que vuelva a escribir.
error-not_found = No hemos encontrado esa conversación.
error-internal = Lo sentimos, algo ha fallado por nuestra parte. Inténtelo de nuevo en unos momentos.
