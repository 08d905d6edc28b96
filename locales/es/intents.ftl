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

answer-greet = ¡Hola! ¿En qué puedo ayudarle hoy? Puede preguntarme por pedidos, envíos, devoluciones o pagos.
label-greet = Hola
answer-goodbye = ¡Adiós y gracias por su visita! Si necesita algo, aquí estaré.
label-goodbye = Adiós
answer-thanks = ¡De nada! ¿Puedo ayudarle en algo más?
label-thanks = Gracias
answer-dont_know = No se preocupe. El número de pedido aparece en el correo de confirmación del pedido (7 cifras, por ejemplo, 1004527); si tiene cuenta, también lo encontrará en «Mis pedidos». ¿En qué puedo ayudarle?
label-dont_know = No lo sé
answer-affirm = ¡Perfecto! ¿Qué más puedo hacer por usted?
label-affirm = Sí
answer-deny = De acuerdo. Si necesita cualquier otra cosa, no dude en decírmelo.
label-deny = No
answer-bot_identity = Soy el asistente virtual de la tienda: un programa informático, no una persona. Puedo responder al momento a la mayoría de las preguntas y, cuando lo desee, avisar a un compañero de nuestro equipo de atención al cliente.
label-bot_identity = ¿Estoy hablando con un bot?
    .short = ¿Hablo con un bot?

## Going to a person

answer-human_agent = Por supuesto, ahora mismo aviso a un compañero de nuestro equipo de atención al cliente.
answer-human_agent-offline = Con gusto avisaría a un compañero, pero nuestro equipo de atención al cliente no está disponible en este momento. Si nos deja aquí su dirección de correo electrónico, el equipo le responderá en cuanto vuelva.
label-human_agent = Hablar con una persona
    .short = Hablar con un agente
answer-complaint = Lamento muchísimo lo ocurrido y entiendo perfectamente su malestar. Gracias por comunicárnoslo; un compañero lo revisará personalmente y con prioridad.
answer-complaint-offline = Lamento muchísimo lo ocurrido y entiendo perfectamente su malestar. Gracias por comunicárnoslo. Nuestro equipo de atención al cliente no está disponible en este momento: si nos deja aquí su dirección de correo electrónico, un compañero lo revisará personalmente y con prioridad en cuanto el equipo vuelva, y le responderá por correo.
label-complaint = Presentar una reclamación
    .short = Presentar una queja
answer-account_delete = Entiendo que desea eliminar su cuenta o sus datos personales. Por su seguridad, un compañero de nuestro equipo de atención al cliente se encargará de ello personalmente: verificará su identidad y eliminará su cuenta y sus datos personales en un plazo de 30 días. Las facturas y los registros de pedidos se conservan durante 10 años porque así lo exige la normativa fiscal, y no se usan para nada más.
answer-account_delete-offline = Entiendo que desea eliminar su cuenta o sus datos personales. Por su seguridad, un compañero de nuestro equipo de atención al cliente se encarga de ello personalmente y primero verifica su identidad, pero en este momento el equipo no está disponible. Si nos deja aquí su dirección de correo electrónico, el equipo se pondrá en contacto con usted en cuanto vuelva. Después, su cuenta y sus datos personales se eliminarán en un plazo de 30 días. Las facturas y los registros de pedidos se conservan durante 10 años porque así lo exige la normativa fiscal, y no se usan para nada más.
label-account_delete = Eliminar mi cuenta

## Orders

answer-order_status = ¡Gracias! El enlace de seguimiento del correo de confirmación de envío le muestra dónde se encuentra ahora mismo el paquete del pedido { $order }; si tiene cuenta, también lo encontrará en «Mis pedidos». Normalmente, los pedidos salen de nuestro almacén en 1 día laborable, y el seguimiento puede tardar hasta 24 horas en mostrar el primer escaneo.
label-order_status = ¿Dónde está mi pedido?
    .short = Estado del pedido
answer-order_cancel = Puede cancelar el pedido { $order } desde «Mis pedidos» mientras no se haya enviado. Si ya ha salido de nuestro almacén, puede rechazar la entrega o devolverlo gratis en un plazo de 30 días.
confirm-order_cancel = Solo para confirmar: ¿quiere que cancele el pedido { $order }?
label-order_cancel = Cancelar un pedido
answer-change_address = Puede cambiar la dirección de entrega del pedido { $order } en «Mis pedidos» hasta que se envíe. Si ya está en camino, utilice el enlace de seguimiento del correo de envío para redirigirlo a través de la empresa de transporte.
label-change_address = Cambiar la dirección de entrega
    .short = Cambiar dirección
answer-delivery_delay = Siento que el pedido { $order } aún no haya llegado. El enlace de seguimiento del correo de envío muestra su estado más reciente; si indica «entregado», pregunte a sus vecinos o en la recepción del edificio y mire en el buzón. Si lleva 3 días laborables sin moverse, contacte aquí mismo, por el chat, con nuestro equipo de atención al cliente: abriremos una incidencia con la empresa de transporte, que puede tardar hasta 10 días laborables. Si el paquete se ha perdido, le enviaremos de nuevo los artículos o le reembolsaremos el importe íntegro, como prefiera.
label-delivery_delay = Mi pedido se retrasa
answer-product_availability = En la página de cada producto se indica la disponibilidad de cada talla y color. Si algo está agotado, haga clic en «Avisarme» y le enviaremos un correo en cuanto vuelva a estar disponible.
label-product_availability = ¿Está disponible?

## Shipping, returns and refunds

answer-shipping_info = Enviamos a todos los países de la UE, al Reino Unido, a Turquía y a Malasia. Dentro de la UE, el envío estándar tarda de 2 a 4 días laborables y cuesta 4,90 € (gratis en pedidos de más de 50 €); al Reino Unido tarda de 3 a 5 días laborables, y a Turquía y Malasia de 5 a 10 días laborables, con una tarifa plana de 14,90 €. El envío exprés cuesta 9,90 € y llega al siguiente día laborable si hace el pedido un día laborable antes de las 14:00 (CET). En los envíos fuera de la UE pueden aplicarse derechos de aduana e IVA de importación. Somos una tienda solo online, así que no es posible recoger los pedidos en tienda, pero puede elegir la entrega en un punto de recogida cercano por 3,90 € (de 3 a 5 días laborables).
label-shipping_info = Gastos y plazos de envío
    .short = Información de envío
answer-return_item = Puede devolver artículos sin usar y con sus etiquetas en un plazo de 30 días desde la entrega. Inicie la devolución en «Mis pedidos», imprima la etiqueta de devolución gratuita (o muestre el código QR) y entregue el paquete en cualquier punto de recogida. No hacemos cambios directos: si necesita otra talla, devuelva el artículo de esta forma y haga un nuevo pedido con la talla que quiera. No se admiten devoluciones de ropa interior ni bañadores con el precinto de higiene roto, artículos personalizados ni software que se haya abierto. Le reembolsaremos el importe en un plazo de 5 días laborables desde que recibamos el paquete.
label-return_item = Devolver un artículo
answer-refund_request = El reembolso se realiza mediante el mismo método de pago que utilizó (o en su tarjeta regalo), en un plazo de 5 días laborables desde que recibimos su devolución o desde la cancelación; su banco puede tardar otros 2 o 3 días laborables en reflejarlo. Si han pasado más de 10 días laborables desde que recibimos su devolución y todavía no ve el dinero, pulse «Hablar con una persona» aquí abajo y un compañero revisará qué ha ocurrido. Los gastos de envío se reembolsan si devuelve el pedido completo.
label-refund_request = ¿Dónde está mi reembolso?
    .short = Estado del reembolso
answer-damaged_item = Siento mucho que su pedido haya llegado dañado o que no sea lo que pidió. Avísenos cuanto antes, a ser posible en los 14 días siguientes a la entrega: haga fotos del artículo y del embalaje e inicie una devolución en «Mis pedidos» con el motivo «Artículo dañado» o «Artículo equivocado». Le enviaremos un artículo de sustitución o le devolveremos el dinero, como prefiera, y la devolución es gratuita. Conserve el embalaje hasta que se cierre su caso.
label-damaged_item = Artículo dañado o equivocado
    .short = Dañado o equivocado
answer-warranty = Todos nuestros productos tienen una garantía de 2 años desde la fecha de entrega. Inicie la reclamación en «Mis pedidos», describa el fallo y añada fotos; repararemos o sustituiremos el artículo y, si ninguna de las dos opciones es posible, le devolveremos el dinero. La garantía no cubre el desgaste normal, el uso indebido ni los daños accidentales, como una caída o el contacto con líquidos.
label-warranty = Garantía

## Payment and invoices

answer-payment_problem = Lamento las molestias con su pago. Si el pago no se ha completado, compruebe los datos de la tarjeta y la dirección de facturación, confirme el pago en la app de su banco si se lo pide (3-D Secure), asegúrese de que su tarjeta esté habilitada para pagos en línea y de no superar su límite, o pruebe con otro método de pago. Si le han cobrado dos veces, el segundo importe suele ser una retención temporal de un intento fallido, que su banco libera en un plazo de 5 días laborables; si pasado ese plazo siguen apareciendo los dos cargos en su extracto, envíelo a nuestro equipo de atención al cliente y le reembolsaremos el cargo duplicado.
label-payment_problem = Un problema con el pago
    .short = Problema con el pago
answer-payment_methods = Aceptamos Visa, Mastercard, American Express, PayPal, Apple Pay, Google Pay y transferencia bancaria. No ofrecemos pago a plazos ni contra reembolso. Si paga por transferencia, enviamos el pedido en cuanto recibimos el importe, lo que suele tardar de 1 a 2 días laborables.
label-payment_methods = Métodos de pago
answer-invoice_request = La factura va adjunta al correo de confirmación de envío, y puede descargarla cuando quiera en «Mis pedidos». Si necesita una factura a nombre de su empresa, añada el nombre de la empresa y su número de IVA a su cuenta antes de hacer el pedido. Una factura ya emitida no se puede modificar, pero un compañero puede emitir una factura rectificativa en un plazo de 30 días.
label-invoice_request = Solicitar una factura
    .short = Solicitar factura
answer-discount_code = Los códigos de descuento se introducen en la cesta antes del pago, un código por pedido; una vez realizado el pedido, ya no se pueden añadir. Si un código no funciona, compruebe su fecha de caducidad y el importe mínimo de pedido, y que no quede ningún espacio delante o detrás (da igual si usa mayúsculas o minúsculas). Los códigos no se aplican a tarjetas regalo ni a artículos ya rebajados, salvo que las condiciones del código indiquen lo contrario.
label-discount_code = Mi código de descuento no funciona
    .short = Mi cupón no funciona
answer-subscription_cancel = Puede cancelar su suscripción en cualquier momento en «Cuenta» > «Suscripción». Seguirá activa hasta el final del periodo que ya ha pagado y no se le volverá a cobrar. Si cancela una suscripción anual en los 14 días siguientes a la compra y no la ha utilizado, le reembolsamos los 49 € íntegros.
label-subscription_cancel = Cancelar mi suscripción
    .short = Cancelar suscripción
answer-newsletter_unsubscribe = Puede darse de baja de nuestra newsletter en cualquier momento: haga clic en el enlace para darse de baja que aparece al final de cada newsletter y dejará de recibirla. No hace falta eliminar su cuenta para ello. Los correos sobre sus pedidos, como la confirmación del pedido y la del envío, le seguirán llegando.
label-newsletter_unsubscribe = Darme de baja de la newsletter
    .short = Baja newsletter

## Account and contact

answer-account_login = Para restablecer su contraseña, haga clic en «¿Ha olvidado su contraseña?» en la página de inicio de sesión y le enviaremos por correo un enlace válido durante 1 hora. Si no le llega el correo, revise su carpeta de correo no deseado. Por su seguridad, después de 5 intentos con una contraseña incorrecta la cuenta se bloquea durante 15 minutos; pasado ese tiempo, puede volver a intentarlo.
label-account_login = No puedo iniciar sesión
    .short = No puedo entrar
answer-business_hours = { $hours_kind ->
        [always] Nuestro equipo de atención al cliente está disponible las 24 horas, todos los días. Yo también puedo ayudarle en cualquier momento y, si lo necesita, un compañero puede tomar el relevo.
       *[scheduled] Nuestro equipo de atención al cliente está disponible en este horario: { $hours } (zona horaria: { $zone }). Yo puedo ayudarle en cualquier momento y, fuera de ese horario, también puede dejar un mensaje para el equipo.
    }
label-business_hours = Horario de atención
answer-contact_info = { $hours_kind ->
        [always] Puede contactar con nosotros las 24 horas, todos los días, escribiendo a { $email } o llamando al { $phone }. O, si lo prefiere, escríbame aquí: le ayudo enseguida y, si lo necesita, un compañero puede tomar el relevo.
       *[scheduled] Puede contactar con nosotros escribiendo a { $email } o llamando al { $phone } en nuestro horario de atención: { $hours } (zona horaria: { $zone }). O, si lo prefiere, escríbame aquí: le ayudo enseguida y, dentro del horario de atención, un compañero puede tomar el relevo.
    }
label-contact_info = Datos de contacto
