# Every text a customer sees in the chat, apart from intent answers (intents.ftl).
# Numbers that choose a plural form go through PLURAL(), which uses ICU4X plural
# rules (CLDR); never select on a bare number variable.

## Conversation

greeting = ¡Hola! Soy el asistente virtual de la tienda. ¿En qué puedo ayudarle hoy?
not-understood = Lo siento, no lo he entendido bien. ¿Podría decirlo de otra manera?
channel-unsupported-content = Lo siento, aquí solo puedo leer mensajes de texto. ¿Podría escribir su pregunta, por favor?
clarify = No estoy seguro de a qué se refiere. ¿Se trata de alguna de estas opciones?
out-of-scope = Lo siento, solo puedo atender consultas sobre nuestra tienda: pedidos, envíos, devoluciones, pagos y su cuenta. ¿En qué puedo ayudarle?
slot-order-number = ¿Podría indicarme su número de pedido? Lo encontrará en el correo de confirmación del pedido.
slot-order-number-again = Necesito su número de pedido para poder consultarlo. Lo encontrará en el correo de confirmación del pedido: tiene 7 cifras, por ejemplo, 1004527.
slot-give-up = Lo siento, sin el número de pedido no puedo consultar su pedido. Si lo desea, puedo avisar a un compañero de nuestro equipo de atención al cliente.
slot-give-up-offline = Lo siento, sin el número de pedido no puedo consultar su pedido. Nuestro equipo de atención al cliente no está disponible en este momento, pero con el botón «Hablar con un agente» de abajo puede dejar su consulta para el equipo, que le responderá en cuanto vuelva.
contact-details-given = Gracias por sus datos de contacto. Yo no puedo llamarle ni escribirle, pero si lo desea, puedo avisar a un compañero de nuestro equipo de atención al cliente, que podrá verlos.
contact-details-given-offline = Gracias por sus datos de contacto. Yo no puedo llamarle ni escribirle. Nuestro equipo de atención al cliente no está disponible en este momento, pero con el botón «Hablar con un agente» de abajo puede dejar su consulta para el equipo, que le responderá en cuanto vuelva.
slot-abandoned = No hay problema. ¿En qué más puedo ayudarle?
confirmation-declined = De acuerdo, el pedido { $order } se queda como está. ¿En qué más puedo ayudarle?
# Set before a question for the order number when the customer also sounds upset ("waited 2 weeks and nothing!!!").
sorry-for-the-trouble = Siento mucho las molestias.
action-failed = Lo siento, ahora mismo no puedo comprobarlo porque nuestro sistema no responde. Si lo desea, puedo avisar a un compañero de nuestro equipo de atención al cliente.
action-failed-offline = Lo siento, ahora mismo no puedo comprobarlo porque nuestro sistema no responde. Nuestro equipo de atención al cliente no está disponible en este momento, pero con el botón «Hablar con un agente» de abajo puede dejar su consulta para el equipo, que le responderá en cuanto vuelva.
# The shop's system answered an order question with "a person must handle this"; the queue notice follows.
action-handoff = Uno de nuestros compañeros tiene que revisar esto personalmente, así que paso su solicitud a nuestro equipo de atención al cliente.
# A quick-reply button: at most 20 characters (WhatsApp's limit).
quick-reply-talk-to-person = Hablar con un agente
whatsapp-list-button = Ver opciones

## "Did this help?"

feedback-ask = ¿Le ha resultado útil esta respuesta?
quick-reply-yes = Sí, gracias
quick-reply-no = No
feedback-thanks = ¡Gracias! Me alegra haberle ayudado.
feedback-sorry = Siento que no le haya servido. ¿Podría contarme un poco más sobre lo que necesita?

## Handoff to a person

handoff-queued = Ocupa el puesto { $position } en la cola. El tiempo de espera estimado es de aproximadamente { $minutes } { PLURAL($minutes) ->
        [one] minuto
        [many] minutos
       *[other] minutos
    }.
handoff-queued-update = Gracias por esperar. Ahora ocupa el puesto { $position } en la cola, con una espera aproximada de { $minutes } { PLURAL($minutes) ->
        [one] minuto
        [many] minutos
       *[other] minutos
    }.
handoff-queued-no-estimate = Ocupa el puesto { $position } en la cola. En este momento no hay ningún compañero disponible, así que no puedo indicarle un tiempo de espera; le responderemos en cuanto alguno quede libre. También puede dejarnos aquí su dirección de correo electrónico y le enviaremos la respuesta por correo.
handoff-queued-update-no-estimate = Gracias por esperar. Ahora ocupa el puesto { $position } en la cola; le responderemos en cuanto un compañero quede libre.
# Later in the queue than last told: earlier (given back by an agent) or more urgent requests went in ahead.
handoff-moved-back = Algunas solicitudes anteriores o más urgentes han pasado por delante de la suya, así que ahora ocupa el puesto { $position } en la cola, con una espera aproximada de { $minutes } { PLURAL($minutes) ->
        [one] minuto
        [many] minutos
       *[other] minutos
    }. Gracias por su paciencia.
handoff-moved-back-no-estimate = Algunas solicitudes anteriores o más urgentes han pasado por delante de la suya, así que ahora ocupa el puesto { $position } en la cola; le responderemos en cuanto un compañero quede libre. Gracias por su paciencia.
# The same place, and only the estimate came, moved or went (an agent came, left or stepped away).
handoff-wait-update = Sigue ocupando el puesto { $position } en la cola; la espera es ahora de unos { $minutes } { PLURAL($minutes) ->
        [one] minuto
        [many] minutos
       *[other] minutos
    }.
handoff-wait-unknown = Sigue ocupando el puesto { $position } en la cola. En este momento no hay ningún compañero disponible, así que no puedo indicarle un tiempo de espera; le responderemos en cuanto alguno quede libre.
# The customer wrote while waiting for a person: said to the first message after each queue notice.
handoff-message-noted = Gracias, el compañero que atienda su conversación verá también este mensaje. Sigue ocupando el puesto { $position } en la cola.
handoff-assigned = { $agent }, de nuestro equipo de atención al cliente, se ha unido al chat.
handoff-offline = Nuestro equipo de atención al cliente no está disponible en este momento y volverá { $opens_at }. Si nos deja aquí su dirección de correo electrónico, le escribiremos en cuanto volvamos.
# After a bot answer that already asked for the email address: only when the team is back.
handoff-offline-reopens = Nuestro equipo de atención al cliente no está disponible en este momento y volverá { $opens_at }.
# Before the queue or offline notice, when the bot hands over because it could not help.
handoff-no-match = Siento no haber podido ayudarle con esto. Paso su consulta a nuestro equipo de atención al cliente.
handoff-returned = Ahora vuelve a hablar con el asistente virtual. ¿En qué más puedo ayudarle?
handoff-agent-left = Lo siento, { $agent } ha tenido que salir del chat. Conserva su puesto en la cola y le responderemos aquí en cuanto un compañero quede libre.
email-saved = ¡Gracias! Le escribiremos a { $email } en cuanto nuestro equipo vuelva.
email-saved-queued = ¡Gracias! Le enviaremos la respuesta a { $email }. Si mantiene abierto este chat, también le responderemos aquí en cuanto un compañero quede libre.
queue-full = Lo siento, en este momento todos nuestros compañeros están ocupados y la cola de espera está llena. Por favor, inténtelo de nuevo en unos minutos; mientras tanto, puedo seguir ayudándole aquí.
queue-left = Tras un rato sin actividad, su lugar en la cola de espera ha quedado libre. Si aún desea hablar con un compañero de nuestro equipo, solo tiene que pedirlo de nuevo.

## End of the conversation

closed-customer = Ha finalizado el chat. ¡Gracias por contactar con nosotros!
closed-agent = { $agent } ha cerrado el chat. ¡Gracias por contactar con nosotros!
survey-ask = ¿Cómo valoraría esta conversación? Elija una puntuación del 1 (mala) al 5 (excelente).
rating-thanks = Gracias por su valoración, nos ayuda a mejorar.

## When support opens again: the value of $opens_at, in the support team's time zone

opens-at-mon = el lunes a las { $time }
opens-at-tue = el martes a las { $time }
opens-at-wed = el miércoles a las { $time }
opens-at-thu = el jueves a las { $time }
opens-at-fri = el viernes a las { $time }
opens-at-sat = el sábado a las { $time }
opens-at-sun = el domingo a las { $time }
opens-at-today = hoy a las { $time }

## Support hours: $hours in intents.ftl is built from these ("Monday–Friday 09:00–18:00").
## Weekday names as they stand in a list of opening hours; hours-always when support never closes.

day-mon = lunes
day-tue = martes
day-wed = miércoles
day-thu = jueves
day-fri = viernes
day-sat = sábado
day-sun = domingo
hours-always = las 24 horas, todos los días

## The help centre's pages (/help/<article>)

# The page for an article that does not exist (an old link, a typo).
help-not-found = No hemos encontrado este artículo de ayuda. Es posible que se haya movido o eliminado.
