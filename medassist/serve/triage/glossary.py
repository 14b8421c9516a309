"""Step 0b of triage: a word-by-word English gloss of a Spanish, French, German, Portuguese or Italian message.

    text = normalise(message)               # "mi abuelo no puede respirar | hace dos anos tuvo un infarto"
    gloss(text, "es")                       # "my grandfather can't breathe | two years ago had a heart attack"

The English rules and the learned classifier only read English. A message in one of the five languages
of ``GLOSSED`` is glossed into English words, so that they can read it too: first per-language phrase
rewrites (elisions split, negation moved before its verb, "hace dos anos" -> "two years ago", "no puede"
-> "can't", a few fixed expressions), then a word dictionary per language, then (for verbs not listed)
a gerund read off its infinitive ("respirando" -> "breathing") and, in German, a compound read off its
parts ("brustschmerzen" -> "chest pain").

Limits: this is a gloss, not a translation. Word order, agreement and tense are often wrong ("e" is
"and" whether or not it was an accented "is"), a word with several senses gets its commonest one, and
unknown words are kept as they are. The dictionaries are general vocabulary (people, common verbs,
body, symptoms, conditions on the triage list, time, framing and function words), not tuned to any
message. Input and output have the shape of ``normalise``: lower case ASCII, clauses split by " | ".

The tables are written compactly as ``key=value, key=value`` (a value may have spaces, an empty value
drops the word, a key with spaces is a fixed phrase). Phrase rewrites emit English in upper case, which
marks it as already glossed (the word pass only reads lower-case words); it is lowered at the end.
"""

from __future__ import annotations

import re
from collections.abc import Callable

GLOSSED = ("es", "fr", "de", "pt", "it")
_Sub = str | Callable[[re.Match[str]], str]


def _table(text: str) -> dict[str, str]:
    """``"a=b, c=d e"`` -> ``{"a": "b", "c": "d e"}`` (entries split by commas or new lines)."""
    entries = (e for e in re.split(r",|\n", text) if e.strip() and not e.strip().startswith("#"))
    pairs = (entry.split("=", 1) for entry in entries)
    return {key.strip(): value.strip() for key, value in pairs}


def _rules(*pairs: tuple[str, _Sub]) -> list[tuple[re.Pattern[str], _Sub]]:
    return [(re.compile(pattern), replacement) for pattern, replacement in pairs]


# ---------------------------------------------------------------------------------------------------
# Spanish
_ES_WORDS = _table("""
yo=i, tu=you, usted=you, el=the, ella=she, ello=it, nosotros=we, nosotras=we, ellos=they, ellas=they
ustedes=you, me=me, te=you, se=, le=him, les=them, lo=it, la=the, los=the, las=the, nos=us, os=you
mi=my, mis=my, tus=your, su=his, sus=his, nuestro=our, nuestra=our, nuestros=our, nuestras=our
mio=mine, mia=mine, suyo=his, suya=her, conmigo=with me, contigo=with you, si=if
un=a, una=a, unos=some, unas=some, al=to the, del=of the, de=of, a=to, en=in, con=with, sin=without
por=for, para=for, sobre=on, entre=between, hasta=until, desde=since, durante=during, contra=against
hacia=towards, segun=according to, bajo=under, tras=after, y=and, e=and, o=or, u=or, pero=but, ni=nor
que=that, porque=because, como=like, cuando=when, donde=where, quien=who, cual=which, cuales=which
cuanto=how much, cuantos=how many, cuanta=how much, cuantas=how many, por que=why, esto=this, eso=that
este=this, esta=is, estos=these, estas=these, ese=that, esa=that, esos=those, aquel=that, otro=other
otra=other, otros=others, mismo=same, todo=all, toda=whole, todos=all, todas=all, nada=nothing
algo=something, alguien=someone, nadie=nobody, cada=every, algun=some, alguno=some, alguna=some
ningun=no, ninguno=none, ninguna=no, no=not, nunca=never, jamas=never, tampoco=neither, ya=already
tambien=also, muy=very, mucho=a lot, mucha=a lot, muchos=many, muchas=many, poco=little, poca=little
pocos=few, demasiado=too much, demasiados=too many, demasiadas=too many, mas=more, menos=less
bastante=quite, tan=so, tanto=so much, casi=almost, solo=only, sola=alone, solamente=only, apenas=barely
bien=well, mal=badly, mejor=better, peor=worse, asi=like this, aqui=here, alli=there, ahi=there
ahora=now, ya mismo=right now, hoy=today, ayer=yesterday, manana=tomorrow, anoche=last night
anteayer=the day before yesterday, antes=before, despues=after, luego=then, entonces=then
siempre=always, todavia=still, aun=still, pronto=soon, tarde=afternoon, temprano=early, noche=night
dia=day, dias=days, semana=week, semanas=weeks, mes=month, meses=months, ano=year, anos=years
hora=hour, horas=hours, minuto=minute, minutos=minutes, segundo=second, segundos=seconds, rato=while
vez=time, veces=times, momento=moment, hace=ago, de repente=suddenly, repentino=sudden
repentinamente=suddenly, subitamente=suddenly, subito=sudden, rapido=fast, rapida=fast, lento=slow
uno=one, dos=two, tres=three, cuatro=four, cinco=five, seis=six, siete=seven, ocho=eight, nueve=nine
diez=ten, once=eleven, doce=twelve, quince=fifteen, veinte=twenty, treinta=thirty, cuarenta=forty
cincuenta=fifty, sesenta=sixty, setenta=seventy, ochenta=eighty, noventa=ninety, cien=hundred
primero=first, primera=first, segunda=second, medio=half, media=half
# people
padre=father, madre=mother, papa=dad, mama=mom, padres=parents, hijo=son, hija=daughter, hijos=children
bebe=baby, bebes=babies, nino=child, nina=girl, ninos=children, nenes=kids, nene=toddler, chico=boy
chica=girl, hermano=brother, hermana=sister, abuelo=grandfather, abuela=grandmother, abuelos=grandparents
marido=husband, esposo=husband, esposa=wife, mujer=woman, hombre=man, novio=boyfriend, novia=girlfriend
pareja=partner, amigo=friend, amiga=friend, amigos=friends, vecino=neighbour, vecina=neighbour
companero=colleague, companera=colleague, colega=colleague, tio=uncle, tia=aunt, primo=cousin
prima=cousin, sobrino=nephew, nieto=grandson, nieta=granddaughter, familia=family, gente=people
persona=person, personas=people, alguien mas=someone else, senor=man, senora=lady, anciano=elderly man
anciana=elderly woman, paciente=patient, pacientes=patients, medico=doctor, medica=doctor, doctor=doctor
enfermera=nurse, enfermero=nurse, enfermeria=nursing, profesor=teacher, alumno=student
estudiante=student, companero de piso=flatmate, jefe=boss
# be have can want
soy=i am, eres=you are, es=is, somos=we are, son=are, era=was, fue=was, fui=i was, sido=been, ser=be
estoy=i am, estas=you are, estamos=we are, estan=are, estaba=was, estuvo=was, estado=been, estar=be
tengo=i have, tienes=you have, tiene=has, tenemos=we have, tienen=have, tenia=had, tuvo=had
tuve=i had, tenido=had, tener=have, he=i have, has=have, ha=has, hemos=we have, han=have, habia=had
hay=there is, habia una vez=once, hubo=there was, haber=have
puedo=i can, puedes=you can, puede=can, podemos=we can, pueden=can, podia=could, pudo=could, poder=can
podria=could, quiero=i want, quieres=you want, quiere=wants, queremos=we want, quieren=want
queria=wanted, querer=want, debo=i should, debe=should, deberia=should, tengo que=i have to
necesito=i need, necesita=needs, necesitamos=we need, voy=i am going, va=goes, vamos=we are going
van=go, iba=was going, ir=go, fue a=went to, hacer=do, hago=i do, hizo=did, hecho=done, haces=you do
se puede=can you, sabe=knows, se=, sabes=you know, se que=i know that, saber=know, se si=i don't know if
creo=i think, cree=thinks, pienso=i think, parece=seems, siento=i feel, siente=feels, sentir=feel
senti=i felt, sintio=felt, noto=i notice, nota=notices, veo=i see, ve=sees, vi=i saw, vio=saw, ver=see
mira=look, oigo=i hear, digo=i say, dice=says, dijo=said, decir=say, llamo=i call, llama=calls
llamar=call, llamamos=we call, llamen=call, ayuda=help, ayudar=help, ayudame=help me, ayudenme=help me
socorro=help, urgente=urgent, urgencia=emergency, urgencias=emergency room, emergencia=emergency
ambulancia=ambulance, hospital=hospital, rapido por favor=quickly please, por favor=please
# body verbs
respirar=breathe, respira=breathing, respiro=i breathe, respiraba=was breathing, respiracion=breathing
ahogar=choke, ahoga=choking, ahogo=choking, ahogarse=choke, ahogado=drowned, ahogando=choking
atragantar=choke, atragantado=choked, atragantando=choking, atragantarse=choke, toser=cough, tose=coughs
tos=cough, toso=i cough, tosiendo=coughing, llorar=cry, llora=crying, lloro=cries, llorando=crying
despertar=wake up, despierta=waking up, despierto=awake, desperto=woke up, dormir=sleep, duerme=sleeps
sube=goes up, baja=goes down, siguen=keep
dormido=asleep, dormida=asleep, desmayar=faint, desmayo=fainted, desmaye=i fainted, desmayado=fainted
desmayada=fainted, desmayarse=faint, inconsciente=unconscious, responde=responding, reacciona=reacting
contesta=answering, moverse=move, mover=move, mueve=moves, muevo=i move, movimiento=movement
movimientos=movements, hablar=speak, habla=speaks, hablo=i speak, caminar=walk, camina=walks
andar=walk, levantar=lift, levanta=lifts, levantarse=get up, sostener=hold, tragar=swallow, trago=swallowed
trague=i swallowed, tragado=swallowed, tragarse=swallow, tomar=take, toma=takes, tomo=took
tome=i took, tomado=taken, tomaste=you took, beber=drink, bebe agua=drinks water, bebio=drank
bebi=i drank, bebido=drunk, comer=eat, come=eats, comio=ate, comi=i ate, comido=eaten, comiendo=eating
caer=fall, cae=falls, cayo=fell, cai=i fell, caido=fallen, caida=fall, caerse=fall, golpear=hit
golpe=blow, golpeo=hit, golpeado=hit, pego=hit, chocar=crash, choco=crashed, choque=crash
atropellado=run over, atropellada=run over, atropello=ran over, sangrar=bleed, sangra=bleeding
sangrando=bleeding, sangrado=bleeding, sangre=blood, sangro=bled, hemorragia=haemorrhage
vomitar=vomit, vomita=vomiting, vomito=vomit, vomitos=vomiting, vomitando=vomiting, vomitado=vomited
vomite=i vomited, quemar=burn, quema=burns, quemo=burned, queme=i burned, quemado=burned
quemada=burned, quemadura=burn, quemaduras=burns, escaldado=scalded, cortar=cut, corte=cut
corto=cut, cortado=cut, cortarme=cut myself, cortes=cuts, lastimar=hurt, lastimarme=hurt myself
herir=hurt, herido=injured, herida=wound, heridas=wounds, doler=hurt, duele=hurts, dolia=hurt
dolio=hurt, sentirse=feel, temblar=shake, tiembla=shaking, temblando=shaking, temblor=tremor
temblores=tremors, sudar=sweat, suda=sweating, sudando=sweating, sudor=sweat, sudado=sweaty
sudoroso=sweaty, tiritar=shiver, tirita=shivering, tiritando=shivering, escalofrios=chills
morir=die, muere=dies, murio=died, muerto=dead, muerta=dead, muriendo=dying, morirme=die
matar=kill, matarme=kill myself, mato=killed, suicidarme=kill myself, suicidio=suicide
suicidarse=kill himself, suicida=suicidal, vivir=live, vida=life, vivo=alive, viva=alive
acabar=end, terminar=end, seguir=go on, sigue=keeps, aguantar=bear, aguanto=i can take
empezo=started, empezar=start, empieza=starts, comenzo=started, parar=stop, para de=stops, paro=stopped
dejo=stopped, dejar=stop, detener=stop, empeora=getting worse, empeorando=getting worse, mejora=improves
pasar=happen, pasa=happens, paso=happened, pasado=past, ocurre=happens, ocurrio=happened
encontrar=find, encontre=i found, encontrado=found, encontro=found, dejar de=stop, olvidar=forget
preocupar=worry, preocupa=worries, preocuparme=worry, preocupado=worried, asustado=scared
miedo=fear, nervioso=nervous, tragarse=swallow, morder=bite, mordio=bit, mordedura=bite, picadura=sting
pico=stung, inflamar=swell, hinchar=swell, hincha=swelling, hinchado=swollen, hinchada=swollen
hinchados=swollen, hinchazon=swelling, ponerse=turn, puso=turned, poner=put, sale=comes out
salir=come out, salio=came out, sale sangre=is bleeding, entra=gets in, entro=went in, meter=put
meti=i put, metio=put, agarrar=grab, abrir=open, abre=opens, cerrar=close, cierra=closes
sabe donde=knows where, reconoce=recognises, recuerda=remembers, recordar=remember, olvida=forgets
tocar=touch, toca=touches, presionar=press, apretar=press, aprieta=squeezes, presiona=presses
desaparecen=fade, desaparece=fades, desaparecer=disappear, cambiar=change, volver=return, vuelve=returns
llevar=take, llevo=i take, lleva=has been, llevamos=we have been, dar=give, da=gives, dio=gave
regale=i gave away, regalando=giving away, regalar=give away, despedirme=say goodbye, despedido=said goodbye
despedida=goodbye, adios=goodbye, carta=letter, nota de despedida=suicide note, planear=plan
preparado=ready, preparada=ready, plan=plan, pastillas=pills, pastilla=pill, comprimidos=tablets
# body
cabeza=head, cara=face, ojo=eye, ojos=eyes, boca=mouth, labio=lip, labios=lips, lengua=tongue
diente=tooth, dientes=teeth, nariz=nose, oreja=ear, oido=ear, cuello=neck, nuca=neck, garganta=throat
pecho=chest, torax=chest, espalda=back, hombro=shoulder, brazo=arm, brazos=arms, codo=elbow
muneca=wrist, mano=hand, manos=hands, dedo=finger, dedos=fingers, una=a, unas=nails, pierna=leg
piernas=legs, rodilla=knee, tobillo=ankle, pie=foot, pies=feet, cadera=hip, barriga=belly
vientre=belly, abdomen=abdomen, estomago=stomach, tripa=tummy, ombligo=belly button, costado=side
lado=side, derecho=right, derecha=right, izquierdo=left, izquierda=left, corazon=heart, pulmon=lung
pulmones=lungs, cerebro=brain, higado=liver, rinon=kidney, rinones=kidneys, piel=skin, hueso=bone
huesos=bones, sangre=blood, testiculo=testicle, testiculos=testicles, cuerpo=body, musculo=muscle
venas=veins, vena=vein, muslo=thigh, fontanela=soft spot, mollera=soft spot, panal=nappy, panales=nappies
pis=pee, orina=urine, orinar=pee, heces=stools, caca=stool, deposiciones=stools, vagina=vagina
utero=womb, tripa=belly, vision=vision, vista=sight, voz=voice, aliento=breath, pulso=pulse
# symptoms and signs
dolor=pain, dolores=pains, molestia=discomfort, molestias=discomfort, fuerte=severe, fuertes=severe
intenso=intense, intensa=intense, grave=serious, leve=mild, ligero=slight, ligera=slight, agudo=sharp
opresion=tightness, presion=pressure, aprieta=tight, peso=weight, ardor=burning, acidez=heartburn
fiebre=fever, calentura=fever, temperatura=temperature, frio=cold, fria=cold, frios=cold, caliente=hot
calor=heat, seco=dry, seca=dry, mareo=dizziness, mareado=dizzy, mareada=dizzy, nauseas=nausea
confuso=confused, confusa=confused, confundido=confused, confundida=confused, desorientado=disoriented
desorientada=disoriented, agitado=agitated, agitada=agitated, somnoliento=drowsy, somnolienta=drowsy
adormilado=drowsy, debil=weak, debilidad=weakness, cansado=tired, cansada=tired, palido=pale
palida=pale, azul=blue, azules=blue, morado=purple, morada=purple, morados=purple, moradas=purple
rojo=red, roja=red, rojos=red, rojas=red, negro=black, negra=black, negras=black, negros=black
amarillo=yellow, gris=grey, manchas=spots, mancha=spot, sarpullido=rash, erupcion=rash, ronchas=hives
urticaria=hives, picor=itch, pica=itches, ampolla=blister, ampollas=blisters, rigido=stiff
rigida=stiff, duro=hard, dura=hard, blando=soft, flojo=floppy, floja=floppy, flacido=floppy
hundida=sunken, abultada=bulging, abombada=bulging, torcida=drooping, torcido=drooping, caida=drooping
entumecido=numb, entumecida=numb, hormigueo=tingling, adormecido=numb, paralizado=paralysed
silbido=wheeze, sibilancias=wheezing, jadeando=gasping, jadea=gasping, falta=lack, aire=air
sofoco=breathlessness, ahogo=breathlessness, convulsion=seizure, convulsiones=seizures
convulsionando=seizing, ataque=attack, crisis=attack, epilepsia=epilepsy, epileptico=epileptic
espasmos=spasms, sacudidas=jerking, desmayos=fainting, vertigo=vertigo, migrana=migraine, cefalea=headache
jaqueca=headache, luz=light, luces=lights, puntitos=spots, ciego=blind, profundo=deep, profunda=deep
borrosa=blurry, borroso=blurry
doble=double, hinchazon=swelling, herida abierta=open wound, chorro=spurts, charco=pool, mucha=a lot
sed=thirst, aliento afrutado=fruity breath, afrutado=fruity, olor=smell, huele=smells, tos seca=dry cough
estrenimiento=constipation, diarrea=diarrhoea, gripe=flu, resfriado=cold, catarro=cold
# conditions
infarto=heart attack, ataque al corazon=heart attack, paro=arrest, paro cardiaco=cardiac arrest
angina=angina, ictus=stroke, derrame=stroke, embolia=stroke, trombosis=thrombosis, asma=asthma
alergia=allergy, alergico=allergic, alergica=allergic, anafilaxia=anaphylaxis, anafilactico=anaphylactic
shock=shock, choque anafilactico=anaphylactic shock, meningitis=meningitis, sepsis=sepsis
septicemia=sepsis, infeccion=infection, diabetes=diabetes, diabetico=diabetic, diabetica=diabetic
azucar=sugar, glucosa=glucose, glucemia=blood sugar, hipoglucemia=hypoglycaemia, insulina=insulin
cetoacidosis=ketoacidosis, hipertension=hypertension, tension=blood pressure, embarazo=pregnancy
embarazada=pregnant, parto=labour, contracciones=contractions, aguas=waters, bolsa=waters, cordon=cord
placenta=placenta, preeclampsia=pre eclampsia, aborto=miscarriage, sobredosis=overdose
intoxicacion=poisoning, envenenamiento=poisoning, veneno=poison, envenenado=poisoned, toxico=toxic
monoxido=monoxide, carbono=carbon, gas=gas, caldera=boiler, estufa=heater, calentador=heater
generador=generator, brasero=brazier, humo=smoke, incendio=fire, fuego=fire, electrocutado=electrocuted
descarga=shock, electrica=electric, electricidad=electricity, cable=cable, enchufe=socket
rayo=lightning, golpe de calor=heat stroke, insolacion=heatstroke, hipotermia=hypothermia
congelado=frozen, helado=ice cold, helada=ice cold, ahogamiento=drowning, piscina=pool, agua=water
mar=sea, rio=river, apendicitis=appendicitis, apendice=appendix, ulcera=ulcer, posos de cafe=coffee grounds
fractura=fracture, roto=broken, rota=broken, fracturado=fractured, hueso roto=broken bone
accidente=accident, coche=car, moto=motorbike, bici=bike, bicicleta=bicycle, trafico=traffic
apunalado=stabbed, apunalada=stabbed, navaja=knife, cuchillo=knife, cuchillada=stab wound, disparo=gunshot
bala=bullet, tiro=shot, disparado=shot, altura=height, andamio=scaffolding, escalera=ladder
tejado=roof, balcon=balcony, ventana=window, conmocion=concussion, traumatismo=trauma, cancer=cancer
virus=virus, covid=covid, hipo=hiccups, acne=acne, quiste=cyst, quemadura solar=sunburn
# substances
medicamento=medicine, medicamentos=medicines, medicina=medicine, medicinas=medicines, remedio=remedy
farmaco=drug, farmacos=drugs, droga=drug, drogas=drugs, dosis=dose, paracetamol=paracetamol
ibuprofeno=ibuprofen, aspirina=aspirin, antibiotico=antibiotic, antibioticos=antibiotics
antidepresivos=antidepressants, somniferos=sleeping pills, calmantes=painkillers, analgesicos=painkillers
alcohol=alcohol, borracho=drunk, borracha=drunk, lejia=bleach, cloro=bleach, detergente=detergent
capsula=pod, capsulas=pods, pila=battery, pilas=batteries, boton=button, pila de boton=button battery
imanes=magnets, iman=magnet, amoniaco=ammonia, limpiador=cleaner, producto=product, productos=products
quimico=chemical, quimica=chemical, sosa=caustic soda, caustica=caustic, acido=acid, pintura=paint
gasolina=petrol, setas=mushrooms, hongos=mushrooms, inhalador=inhaler, epipen=epipen, autoinyector=epipen
vaso=glass, cristal=glass, vidrio=glass, plancha=iron, olla=pot, aceite=oil, hirviendo=boiling
taza=cup, comida=food, cena=dinner, nueces=nuts, cacahuetes=peanuts, mani=peanuts, marisco=shellfish
abeja=bee, avispa=wasp, perro=dog, serpiente=snake
# framing
que es=what is, cuales son=what are, como=how, por que=why, porque=because, sintomas=symptoms
sintoma=symptom, signos=signs, causas=causes, causa=cause, tratamiento=treatment, diagnostico=diagnosis
diferencia=difference, entre=between, ejemplo=example, por ejemplo=for example, examen=exam
examenes=exams, prueba=test, pregunta=question, preguntas=questions, clase=class, clases=classes
curso=course, leccion=lecture, deberes=homework, tarea=homework, trabajo=work, tesis=thesis
libro=book, libro de texto=textbook, colegio=school, escuela=school, universidad=university
facultad=faculty, estudio=study, estudiando=studying, estudiar=study, aprender=learn
primeros auxilios=first aid, auxilios=aid, formacion=training, entrenamiento=training, simulacro=drill
hipoteticamente=hypothetically, hipotetico=hypothetical, imagina=imagine, supongamos=suppose
caso=case, teoria=theory, novela=novel, personaje=character, historia=story, pelicula=film
serie=series, juego=game, broma=joke, bromeando=joking, normal=normal, peligroso=dangerous
seguro=safe, puedo tomar=can i take, debo preocuparme=should i worry, hereditario=hereditary
riesgo=risk, efectos=effects, secundarios=side, efectos secundarios=side effects, juntos=together
junto=together, dosis maxima=maximum dose, cuantas=how many, ejercicio=exercise, deporte=sport
gracias=thanks, hola=hello, vale=ok, creo que=i think
# everyday
casa=home, calle=street, trabajo=work, coche=car, cama=bed, suelo=floor, bano=bathroom, cocina=kitchen
habitacion=room, campo=field, playa=beach, sol=sun, nieve=snow, montana=mountain, afuera=outside
fuera=outside, dentro=inside, arriba=up, abajo=down, cerca=near, lejos=far, encima=on top
debajo=under, detras=behind, delante=in front, hasta ahora=until now, nuevo=new, viejo=old
mayor=older, pequeno=small, pequena=small, grande=big, largo=long, alto=high, alta=high, bajo=low
baja=low, lleno=full, vacio=empty, raro=strange, rara=strange, extrano=strange, extrana=strange
diferente=different, igual=same, cosa=thing, cosas=things, parte=part, forma=way, manera=way
vez que=time that, nivel=level, numero=number, lado derecho=right side, lado izquierdo=left side
""")
_ES_RULES = _rules(
    (
        r"\bhace (?:unos? |unas? |mas de |menos de )?((?:\w+ )?)(anos?|mes(?:es)?|semanas?|dias?|horas?|minutos?)\b",
        r"\1\2 AGO",
    ),
    (r"\bcuando (?:yo )?era (?:nino|nina|pequeno|pequena|joven)\b", "WHEN I WAS A CHILD"),
    (r"\b(?:me )?quiero morir(?:me)?\b", "I WANT TO DIE"),
    (r"\bno quiero (?:seguir )?vivir(?: mas)?\b", "I DON'T WANT TO LIVE"),
    (r"\b(?:quitarme|quitar) la vida\b", "TAKE MY LIFE"),
    (r"\bacabar con todo\b", "END IT ALL"),
    (r"\bestarian mejor sin mi\b", "BETTER OFF WITHOUT ME"),
    (r"\bno (?:puedo|aguanto) mas\b", "I CAN'T GO ON"),
    (r"\bno (?:puedo|pude)\b", "I CAN'T"),
    (r"\bno (?:puede|pueden|podia|pudo|consigue|logra)\b", "CAN'T"),
    (r"\bno (?:esta|estan|estaba) (\w+(?:ando|iendo))\b", r"ISN'T \1"),
    (r"\bno (?:tengo|tenia)\b", "I DON'T HAVE"),
    (r"\bya no\b", "NO LONGER"),
    (r"\bfalta (?:el |de )?aire\b|\bfalta de aire\b", "SHORT OF BREATH"),
    (r"\bdolor de cabeza\b", "HEADACHE"),
    (r"\bdolor de (?:barriga|tripa|estomago|vientre)\b", "STOMACH PAIN"),
    (r"\bdolor (?:en el|de|del) pecho\b", "CHEST PAIN"),
    (r"\b(?:ataque al corazon|ataque cardiaco)\b", "HEART ATTACK"),
    (r"\bgolpe de calor\b", "HEAT STROKE"),
    (r"\bprimeros auxilios\b", "FIRST AID"),
    (r"\besta noche\b", "TONIGHT"),
    (r"\besta manana\b", "THIS MORNING"),
    (r"\besta tarde\b", "THIS AFTERNOON"),
    (r"\bla semana pasada\b", "LAST WEEK"),
    (r"\bel ano pasado\b", "LAST YEAR"),
    (r"\b(?:de repente|de golpe)\b", "SUDDENLY"),
    (r"\bahora mismo\b|\bya mismo\b", "RIGHT NOW"),
    (r"\bun poco\b", "A BIT"),
    (r"\bque es\b", "WHAT IS"),
    (r"\bque (?:hago|debo hacer|hacer)\b", "WHAT SHOULD I DO"),
    (r"\bpor que\b", "WHY"),
    (r"\bque pasa si\b", "WHAT IF"),
    (r"\bno (?:le |lo |la |se |me |te )?(\w+)\b", r"NOT \1"),
)


# ---------------------------------------------------------------------------------------------------
# French
_FR_WORDS = _table("""
je=i, tu=you, il=he, elle=she, on=we, nous=we, vous=you, ils=they, elles=they, me=me, moi=me, te=you
toi=you, se=, lui=him, leur=their, leurs=their, y=there, en=in, mon=my, ma=my, mes=my, ton=your, ta=your
tes=your, son=his, sa=his, ses=his, notre=our, nos=our, votre=your, vos=your, le=the, la=the, les=the
un=a, une=a, des=some, du=of the, de=of, au=to the, aux=to the, a=has, dans=in, sur=on, sous=under
avec=with, sans=without, pour=for, par=by, chez=at, vers=towards, entre=between, depuis=since
pendant=during, apres=after, avant=before, contre=against, jusqu'a=until, et=and, ou=or, mais=but
donc=so, car=because, parce=because, que=that, qui=who, quoi=what, quel=what, quelle=what, quels=what
quelles=what, comment=how, pourquoi=why, quand=when, combien=how many, si=if, ce=this, cet=this
cette=this, ces=these, ca=it, cela=that, ceci=this, tout=all, toute=whole, tous=all, toutes=all
rien=nothing, quelque=some, quelqu'un=someone, personne=nobody, chaque=every, autre=other, autres=others
meme=same, ne=, pas=not, plus=more, jamais=never, non=no, oui=yes, aucun=no, aucune=no, tres=very
trop=too much, beaucoup=a lot, peu=little, assez=quite, presque=almost, seulement=only, juste=just
bien=well, mal=bad, mieux=better, pire=worse, vraiment=really, encore=still, deja=already, aussi=also
toujours=always, souvent=often, parfois=sometimes, ici=here, maintenant=now, aujourd'hui=today
aujourd=today, hui=, hier=yesterday, demain=tomorrow, ce soir=tonight, soir=evening, matin=morning
nuit=night, jour=day, jours=days, semaine=week, semaines=weeks, mois=months, an=year, ans=years
annee=year, annees=years, heure=hour, heures=hours, minute=minute, minutes=minutes, seconde=second
fois=times, moment=moment, soudain=sudden, soudainement=suddenly, brusquement=suddenly, vite=fast
rapide=fast, rapidement=quickly, lent=slow, tot=early, tard=late, bientot=soon, puis=then, alors=then
un=one, deux=two, trois=three, quatre=four, cinq=five, six=six, sept=seven, huit=eight, neuf=nine
dix=ten, onze=eleven, douze=twelve, quinze=fifteen, vingt=twenty, trente=thirty, quarante=forty
cinquante=fifty, soixante=sixty, cent=hundred, premier=first, premiere=first, demi=half, moitie=half
# people
pere=father, mere=mother, papa=dad, maman=mom, parents=parents, fils=son, fille=daughter, enfant=child
enfants=children, bebe=baby, bebes=babies, nourrisson=infant, garcon=boy, frere=brother, soeur=sister
grand=big, grands=big, grande=big, grand-pere=grandfather, grand-mere=grandmother, papi=grandpa
mamie=grandma, mari=husband, femme=wife, homme=man, copain=boyfriend, copine=girlfriend
conjoint=partner, ami=friend, amie=friend, amis=friends, voisin=neighbour, voisine=neighbour
colocataire=flatmate, coloc=flatmate, collegue=colleague, oncle=uncle, tante=aunt, cousin=cousin
neveu=nephew, famille=family, gens=people, patient=patient, patiente=patient, patients=patients
medecin=doctor, docteur=doctor, infirmier=nurse, infirmiere=nurse, prof=teacher, professeur=teacher
etudiant=student, eleve=pupil
# verbs
suis=am, es=are, est=is, sommes=are, etes=are, sont=are, etait=was, etais=was, ete=been, etre=be
fut=was, ai=have, as=have, avons=have, avez=have, ont=have, avait=had, avais=had, eu=had, avoir=have
peux=can, peut=can, pouvons=can, peuvent=can, pouvait=could, pu=could, pouvoir=can, pourrait=could
veux=want, veut=wants, voulons=want, veulent=want, voulait=wanted, vouloir=want, voudrais=would like
dois=must, doit=must, devrait=should, devrais=should, faut=must, il faut=must, faire=do, fais=do
fait=does, faites=do, fera=will do, vais=am going, va=goes, allons=go, vont=go, aller=go, alle=went
sais=know, sait=knows, savoir=know, crois=think, pense=think, semble=seems, sens=feel, sent=feels
sentir=feel, senti=felt, vois=see, voit=sees, voir=see, vu=saw, dit=says, dire=say, appelle=call
appeler=call, appele=called, aide=help, aider=help, aidez=help, secours=help, urgence=emergency
urgences=emergency room, samu=ambulance, ambulance=ambulance, pompiers=fire brigade, hopital=hospital
arrive=manage, arrivent=manage, arriver=manage, respire=breathing, respirer=breathe, respirait=breathing
respiration=breathing, respirant=breathing, etouffe=choking, etouffer=choke, etouffement=choking
s'etouffe=choking, tousse=coughing, tousser=cough, toux=cough, pleure=crying, pleurer=cry, pleurs=crying
cri=cry, reveille=wakes up, reveiller=wake up, reveil=waking, dort=sleeping, dormir=sleep
endormi=asleep, evanoui=fainted, evanouie=fainted, evanouir=faint, evanouissement=fainting
malaise=collapse, inconscient=unconscious, inconsciente=unconscious, repond=responding
repondre=respond, reagit=reacting, reagir=react, bouge=moving, bouger=move, bougent=moving
mouvement=movement, mouvements=movements, parle=speaking, parler=speak, marche=walking, marcher=walk
lever=lift, leve=lifts, tenir=hold, avale=swallowed, avaler=swallow, avalee=swallowed, pris=took
prise=taken, prendre=take, prend=takes, prends=take, boit=drinks, boire=drink, bu=drank, mange=eats
manger=eat, mangeait=was eating, tombe=falls, tomber=fall, tombee=fell, chute=fall, cogne=hit
cogner=hit, frappe=hit, heurte=hit, renverse=run over, renversee=run over, saigne=bleeding
saigner=bleed, saignement=bleeding, saignements=bleeding, sang=blood, hemorragie=haemorrhage
vomit=vomiting, vomir=vomit, vomi=vomited, vomissements=vomiting, vomissement=vomiting, brule=burned
bruler=burn, brulee=burned, brulure=burn, brulures=burns, ebouillante=scalded, coupe=cut, couper=cut
coupure=cut, coupures=cuts, taillade=slashed, taillader=slash, scarifie=cut, scarifier=self harm
blesse=injured, blessee=injured, blesser=hurt, blessure=wound, blessures=wounds, fais mal=hurt
tremble=shaking, trembler=shake, tremblements=tremors, transpire=sweating, transpirer=sweat, sueur=sweat
sueurs=sweats, frissonne=shivering, frissons=shivers, grelotte=shivering, mourir=die, meurt=dies
mort=dead, morte=dead, mourant=dying, tuer=kill, suicider=kill myself, suicide=suicide, suicidaire=suicidal
vivre=live, vie=life, vivant=alive, finir=end, fin=end, continuer=go on, tiens=hold on, tenir le coup=cope
commence=started, commencer=start, arrete=stop, arreter=stop, arretes=stop, empire=getting worse
aggrave=getting worse, passe=happens, passer=happen, passait=was happening, trouve=found, trouver=find
oublie=forgets, inquiete=worried, inquiet=worried, inquieter=worry, peur=fear, mord=bit, morsure=bite
piqure=sting, pique=stung, gonfle=swollen, gonflee=swollen, gonfles=swollen, gonflees=swollen
gonfler=swell, enfle=swollen, enflee=swollen, gonflement=swelling, devient=becomes, devenu=became
sort=comes out, sortir=come out, sorti=came out, entre=went in, mis=put, mettre=put, ouvre=opens
ouvrir=open, ferme=closes, fermer=close, reconnait=recognises, souvient=remembers, touche=touches
appuie=press, appuyer=press, effacent=fade, efface=fades, disparait=disappears, disparaissent=disappear
donne=gives, donner=give, donne tout=giving everything away, donner mes affaires=give my things away
adieu=goodbye, lettre=letter, lettres=letters, plan=plan, pret=ready, prete=ready, decide=decided
cachets=pills, comprimes=tablets, pilules=pills, gelules=capsules
# body
tete=head, visage=face, figure=face, oeil=eye, yeux=eyes, bouche=mouth, levre=lip, levres=lips
langue=tongue, dent=tooth, dents=teeth, nez=nose, oreille=ear, cou=neck, nuque=neck, gorge=throat
poitrine=chest, thorax=chest, thoracique=chest, dos=back, epaule=shoulder, bras=arm, coude=elbow
poignet=wrist, main=hand, mains=hands, doigt=finger, doigts=fingers, jambe=leg, jambes=legs
genou=knee, cheville=ankle, pied=foot, pieds=feet, hanche=hip, ventre=belly, abdomen=abdomen
estomac=stomach, cote=side, droit=right, droite=right, gauche=left, coeur=heart, poumon=lung
poumons=lungs, cerveau=brain, foie=liver, rein=kidney, peau=skin, os=bone, testicule=testicle
testicules=testicles, corps=body, fontanelle=soft spot, couche=nappy, couches=nappies, pipi=pee
urine=urine, selles=stools, caca=stool, vision=vision, vue=sight, voix=voice, haleine=breath
souffle=breath, pouls=pulse, visage tombe=face drooping
# symptoms
douleur=pain, douleurs=pains, mal=pain, forte=severe, fort=severe, intense=intense, grave=serious
leger=mild, legere=mild, legerement=slightly, aigue=acute, serre=tight, serrement=tightness
oppression=tightness, pression=pressure, poids=weight, brulures d'estomac=heartburn, fievre=fever
temperature=temperature, froid=cold, froide=cold, glace=ice cold, glacee=ice cold, chaud=hot
chaude=hot, chaleur=heat, sec=dry, seche=dry, vertige=dizziness, vertiges=dizziness
etourdi=dizzy, nausee=nausea, nausees=nausea, confus=confused, confuse=confused, desoriente=disoriented
desorientee=disoriented, agite=agitated, agitee=agitated, somnolent=drowsy, somnolente=drowsy
faible=weak, faiblesse=weakness, fatigue=tired, fatiguee=tired, pale=pale, bleu=blue, bleue=blue
bleus=blue, bleues=blue, violet=purple, violette=purple, violettes=purple, rouge=red, rouges=red
noir=black, noire=black, noires=black, noirs=black, jaune=yellow, gris=grey, taches=spots, tache=spot
boutons=spots, eruption=rash, urticaire=hives, demangeaisons=itching, cloque=blister, cloques=blisters
raide=stiff, rigide=stiff, dur=hard, mou=floppy, molle=floppy, flasque=floppy, bombee=bulging
creusee=sunken, travers=crooked, engourdi=numb, engourdie=numb, fourmillements=tingling
paralyse=paralysed, sifflement=wheeze, essouffle=out of breath, essoufflement=breathlessness
convulsion=seizure, convulsions=seizures, convulsive=seizure, crise=attack, epilepsie=epilepsy
epileptique=epileptic, spasmes=spasms, migraine=migraine, lumiere=light, points=spots
lumineux=bright, profond=deep, profonde=deep, lundi=monday, mardi=tuesday, mercredi=wednesday
jeudi=thursday, vendredi=friday, samedi=saturday, dimanche=sunday, aveugle=blind, flou=blurry, floue=blurry
double=double, jet=spurts, flaque=pool
soif=thirst, fruite=fruity, odeur=smell, sent bon=smells, diarrhee=diarrhoea, constipation=constipation
grippe=flu, rhume=cold, courbatures=aches, acidite=acidity, reflux=reflux
# conditions
infarctus=heart attack, avc=stroke, attaque=attack, accident vasculaire=stroke, angine=sore throat
asthme=asthma, allergie=allergy, allergique=allergic, anaphylaxie=anaphylaxis
anaphylactique=anaphylactic, choc=shock, meningite=meningitis, sepsis=sepsis, septicemie=sepsis
infection=infection, diabete=diabetes, diabetique=diabetic, sucre=sugar, glycemie=blood sugar
hypoglycemie=hypoglycaemia, insuline=insulin, acidocetose=ketoacidosis, hypertension=hypertension
tension=blood pressure, grossesse=pregnancy, enceinte=pregnant, accouchement=labour
contractions=contractions, eaux=waters, cordon=cord, placenta=placenta, preeclampsie=pre eclampsia
fausse=false, couche=nappy, surdose=overdose, overdose=overdose, intoxication=poisoning
empoisonnement=poisoning, poison=poison, empoisonne=poisoned, toxique=toxic, monoxyde=monoxide
carbone=carbon, gaz=gas, chaudiere=boiler, chauffage=heater, poele=stove, groupe electrogene=generator
generateur=generator, fumee=smoke, incendie=fire, feu=fire, electrocute=electrocuted
electrocution=electric shock
electrique=electric, decharge=shock, courant=current, cable=cable, prise electrique=socket, foudre=lightning
insolation=heatstroke, coup de chaleur=heat stroke, hypothermie=hypothermia, gele=frozen
noyade=drowning, noye=drowned, noyee=drowned, piscine=pool, eau=water, mer=sea, riviere=river
appendicite=appendicitis, ulcere=ulcer, marc=grounds, fracture=fracture, casse=broken, cassee=broken
accident=accident, voiture=car, moto=motorbike, velo=bike, poignarde=stabbed, poignardee=stabbed
couteau=knife, balle=bullet, tir=shot, hauteur=height, echelle=ladder, toit=roof, balcon=balcony
fenetre=window, commotion=concussion, traumatisme=trauma, cancer=cancer, hoquet=hiccups
# substances
medicament=medicine, medicaments=medicines, medicaments=medicines, traitement=treatment, dose=dose
doses=doses, paracetamol=paracetamol, doliprane=paracetamol, ibuprofene=ibuprofen, aspirine=aspirin
antibiotique=antibiotic, antibiotiques=antibiotics, antidepresseurs=antidepressants
somniferes=sleeping pills, antidouleurs=painkillers, alcool=alcohol, ivre=drunk, drogue=drug
drogues=drugs, javel=bleach, eau de javel=bleach, lessive=detergent, detergent=detergent
capsule=pod, capsules=pods, pile=battery, piles=batteries, bouton=button, aimant=magnet, aimants=magnets
produit=product, produits=products, menager=household, chimique=chemical, soude=caustic soda
caustique=caustic, acide=acid, essence=petrol, champignons=mushrooms, inhalateur=inhaler, ventoline=inhaler
stylo=pen, verre=glass, fer=iron, casserole=pan, huile=oil, bouillante=boiling, bouillant=boiling
tasse=cup, nourriture=food, repas=meal, noix=nuts, cacahuetes=peanuts, arachide=peanut
fruits de mer=seafood, abeille=bee, guepe=wasp, chien=dog, serpent=snake
# framing
symptomes=symptoms, symptome=symptom, signes=signs, causes=causes, cause=cause, diagnostic=diagnosis
difference=difference, exemple=example, examen=exam, examens=exams, partiel=exam, concours=exam
test=test, question=question, questions=questions, cours=class, classe=class, lecon=lecture
devoirs=homework, devoir=homework, these=thesis, memoire=thesis, manuel=textbook, livre=book
ecole=school, lycee=school, college=school, fac=university, universite=university, etude=study
etudes=studies, etudie=study, etudier=study, apprendre=learn, secourisme=first aid, formation=training
stage=course, exercice=exercise, hypothetiquement=hypothetically, hypothese=hypothesis, imaginons=imagine
supposons=suppose, cas=case, theorie=theory, roman=novel, personnage=character, histoire=story
film=film, serie=series, jeu=game, blague=joke, normal=normal, dangereux=dangerous, grave=serious
hereditaire=hereditary, risque=risk, effets=effects, secondaires=side, ensemble=together
sport=sport, merci=thanks, bonjour=hello, salut=hi, probable=likely, aigu=acute, urinaire=urinary
massage=massage, cardiaque=cardiac, compressions=compressions, rcp=cpr, psc1=first aid course
# everyday
maison=home, rue=street, travail=work, lit=bed, sol=floor, par terre=on the floor, salle=room
cuisine=kitchen, chambre=bedroom, champ=field, plage=beach, soleil=sun, neige=snow, montagne=mountain
dehors=outside, dedans=inside, haut=up, bas=down, pres=near, loin=far, nouveau=new, vieux=old
petit=small, petite=small, long=long, haute=high, basse=low, plein=full, vide=empty, bizarre=strange
etrange=strange, different=different, chose=thing, choses=things, partie=part, facon=way, niveau=level
""")
_FR_ELIDED = _table("qu=que, l=le, d=de, j=je, n=ne, m=me, t=te, s=se, c=ce")
_FR_RULES = _rules(
    (r"\b(qu|[ldjnmtsc])'", lambda m: _FR_ELIDED[m.group(1)] + " "),
    (
        r"\bil y a (?:environ |presque |plus de |moins de )?((?:\w+ )?)(ans?|annees?|mois|semaines?|jours?|heures?|"
        r"minutes?)\b",
        r"\1\2 AGO",
    ),
    (r"\bil y a\b", "THERE IS"),
    (
        r"\bquand j'etais (?:petit|petite|enfant|jeune)\b|\bquand je etais (?:petit|petite|enfant|jeune)\b",
        "WHEN I WAS A CHILD",
    ),
    (r"\bje veux mourir\b", "I WANT TO DIE"),
    (r"\bne veux plus vivre\b", "DON'T WANT TO LIVE ANYMORE"),
    (r"\b(?:mettre fin a (?:mes jours|ma vie)|me (?:tuer|suicider)|en finir)\b", "KILL MYSELF"),
    (r"\bseraient mieux sans moi\b", "BETTER OFF WITHOUT ME"),
    (r"\bje n(?:e |')(?:peux|tiens) plus\b", "I CAN'T GO ON"),
    (
        r"\bne (?:(?:me|te|se|le|la|les|lui|y|en) )?(?:arrive|arrivent|arrivait|peut|peux|peuvent|pouvait|parvient)"
        r" (?:pas|plus)(?: a)?\b",
        "CAN'T",
    ),
    (r"\bne (?:(?:me|te|se|le|la|les|lui|y|en) )*(\w+) plus\b", r"NOT \1 ANYMORE"),
    (r"\bne (?:(?:me|te|se|le|la|les|lui|y|en) )*(\w+) (?:pas|point)\b", r"NOT \1"),
    (r"\bne (?:(?:me|te|se|le|la|les|lui|y|en) )*(\w+) jamais\b", r"NEVER \1"),
    (r"\bne (?:(?:me|te|se|le|la|les|lui|y|en) )*(\w+) rien\b", r"NOT \1 ANYTHING"),
    (r"\bpas de\b", "NO"),
    (r"\bmal (?:a|au|aux) (?:la )?tete\b", "HEADACHE"),
    (r"\bmal (?:au|de) ventre\b", "STOMACH PAIN"),
    (r"\b(?:douleur|mal) (?:dans la|a la|de) poitrine\b|\bdouleur thoracique\b", "CHEST PAIN"),
    (r"\bcrise cardiaque\b", "HEART ATTACK"),
    (r"\bcoup de chaleur\b", "HEAT STROKE"),
    (r"\bpremiers secours\b", "FIRST AID"),
    (r"\bce soir\b", "TONIGHT"),
    (r"\bce matin\b", "THIS MORNING"),
    (r"\bcette nuit\b", "LAST NIGHT"),
    (r"\bhier soir\b", "LAST NIGHT"),
    (r"\bl'annee derniere\b|\ble annee derniere\b", "LAST YEAR"),
    (r"\bd'un coup\b|\bde un coup\b|\btout a coup\b|\btout d'un coup\b", "SUDDENLY"),
    (r"\ben ce moment\b|\btout de suite\b", "RIGHT NOW"),
    (r"\bun peu\b", "A BIT"),
    (r"\bgrand pere\b", "GRANDFATHER"),
    (r"\bgrand mere\b", "GRANDMOTHER"),
    (r"\bqu'est ce que\b|\bque est ce que\b|\bc'est quoi\b|\bce est quoi\b", "WHAT IS"),
    (r"\bque faut il faire\b|\bque faire\b", "WHAT SHOULD I DO"),
    (r"\bce est\b", "IT IS"),
    (r"\bfausse couche\b", "MISCARRIAGE"),
    (r"\ba (?=\w+(?:er|ir|re)\b)", "TO "),
    (r"\bau secours\b", "HELP"),
    (r"\b(?:viens|vient|venons|venez|viennent) de\b", "JUST"),
)


# ---------------------------------------------------------------------------------------------------
# German
_DE_WORDS = _table("""
ich=i, du=you, er=he, sie=she, es=it, wir=we, ihr=you, mich=me, mir=me, dich=you, dir=you, sich=
ihn=him, ihm=him, uns=us, euch=you, mein=my, meine=my, meinen=my, meinem=my, meiner=my, meines=my
dein=your, deine=your, deinen=your, sein=his, seine=his, seinen=his, seinem=his, seiner=his
ihre=her, ihren=her, ihrem=her, ihrer=her, unser=our, unsere=our, unseren=our, unserem=our
der=the, die=the, das=the, den=the, dem=the, des=the, ein=a, eine=a, einen=a, einem=a, einer=a
eines=a, und=and, oder=or, aber=but, denn=because, weil=because, dass=that, ob=whether, wenn=if
falls=if, als=when, wie=how, was=what, warum=why, wieso=why, weshalb=why, wann=when, wo=where
wer=who, welche=which, welcher=which, welches=which, wieviel=how much, wieviele=how many
in=in, im=in the, i'm=in the, ins=into the, an=on, am=on the, auf=on, aus=out of, bei=at, beim=at the
mit=with, ohne=without, fur=for, von=of, vom=from the, zu=to, zum=to the, zur=to the, nach=after
vor=before, seit=since, uber=over, unter=under, gegen=against, wahrend=during, bis=until, durch=through
neben=next to, um=around, hinter=behind, zwischen=between, nicht=not, kein=no, keine=no, keinen=no
keinem=no, keiner=no, nie=never, niemals=never, nichts=nothing, niemand=nobody, jemand=someone
jemandem=someone, jemanden=someone, etwas=something, alles=everything, alle=all, allen=all, ganz=whole
ganze=whole, ganzen=whole, jeder=every, jede=every, andere=other, anderen=other, selbst=myself
sehr=very, viel=a lot, viele=many, vielen=many, zu viel=too much, zuviel=too much, zuviele=too many
wenig=little, etwas mehr=a bit more, mehr=more, weniger=less, nur=only, schon=already, noch=still
auch=also, so=so, ziemlich=quite, fast=almost, kaum=barely, gerade=just, eben=just, wirklich=really
gut=good, schlecht=bad, besser=better, schlimmer=worse, immer=always, oft=often, manchmal=sometimes
hier=here, da=there, dort=there, jetzt=now, sofort=right now, gleich=right away, heute=today
gestern=yesterday, morgen=tomorrow, vorgestern=the day before yesterday, heute morgen=this morning
abend=evening, abends=in the evening, nacht=night, nachts=at night, heute nacht=tonight, tag=day
tage=days, tagen=days, woche=week, wochen=weeks, monat=month, monate=months, monaten=months, jahr=year
jahre=years, jahren=years, stunde=hour, stunden=hours, minute=minute, minuten=minutes, sekunden=seconds
mal=time, plotzlich=suddenly, auf einmal=suddenly, schnell=fast, langsam=slow, fruh=early, spat=late
dann=then, danach=afterwards, vorher=before, bald=soon, lange=long, zuerst=first, endlich=finally
eins=one, zwei=two, drei=three, vier=four, funf=five, sechs=six, sieben=seven, acht=eight, neun=nine
zehn=ten, elf=eleven, zwolf=twelve, funfzehn=fifteen, zwanzig=twenty, dreissig=thirty, vierzig=forty
funfzig=fifty, hundert=hundred, erste=first, ersten=first, zweite=second, halb=half, halbe=half
# people
vater=father, mutter=mother, papa=dad, mama=mom, eltern=parents, sohn=son, tochter=daughter
kind=child, kinder=children, kindes=child, baby=baby, saugling=infant, kleinkind=toddler, junge=boy
madchen=girl, bruder=brother, schwester=sister, opa=grandpa, oma=grandma, grossvater=grandfather
grossmutter=grandmother, mann=husband, frau=wife, ehemann=husband, ehefrau=wife, freund=friend
freundin=girlfriend, partner=partner, partnerin=partner, nachbar=neighbour, nachbarin=neighbour
mitbewohner=flatmate, mitbewohnerin=flatmate, kollege=colleague, kollegin=colleague, onkel=uncle
tante=aunt, cousin=cousin, familie=family, leute=people, person=person, menschen=people, patient=patient
patientin=patient, patienten=patients, arzt=doctor, arztin=doctor, pfleger=nurse, krankenschwester=nurse
lehrer=teacher, schuler=pupil, student=student, studentin=student
# verbs
bin=am, bist=are, ist=is, sind=are, seid=are, war=was, waren=were, gewesen=been, habe=have, hab=have
hast=have, hat=has, haben=have, hatte=had, hatten=had, gehabt=had, kann=can, kannst=can, konnen=can
konnte=could, will=want, willst=want, wollen=want, wollte=wanted, muss=must, musst=must, mussen=must
soll=should, sollte=should, sollen=should, darf=may, durfen=may, werde=will, wird=will, werden=will
wurde=was, wurden=were, worden=been, mache=do, macht=does, machen=do, gemacht=done, tun=do, tut=does
gehe=go, geht=goes, gehen=go, ging=went, gegangen=gone, weiss=know, wissen=know, glaube=think
denke=think, scheint=seems, fuhle=feel, fuhlt=feels, fuhlen=feel, gefuhlt=felt, spure=feel
spurt=feels, gespurt=felt, spuren=feel, sehe=see, sieht=sees, sehen=see, gesehen=seen, sagt=says
sagen=say, gesagt=said, rufe=call, ruft=calls, rufen=call, anrufen=call, hilfe=help, helfen=help
helft=help, notfall=emergency, notarzt=emergency doctor, notaufnahme=emergency room, krankenwagen=ambulance
rettungswagen=ambulance, krankenhaus=hospital, klinik=hospital, bitte=please
atmen=breathe, atmet=breathing, atme=breathe, atmete=breathed, atmung=breathing, atem=breath
luft=air, erstickt=choking, ersticken=choke, verschluckt=choked, hustet=coughing, husten=cough
weint=crying, weinen=cry, schreit=screaming, wacht=wakes, aufwachen=wake up, wach=awake
schlaft=sleeping, schlafen=sleep, liegt=lying, liege=lying, brauche=need, braucht=needs, tief=deep
tiefe=deep, bewusstlos=unconscious, ohnmachtig=fainted, ohnmacht=fainting
umgekippt=collapsed, zusammengebrochen=collapsed, reagiert=responding, reagieren=respond
antwortet=answering, bewegt=moving, bewegen=move, bewegung=movement, bewegungen=movements
spricht=speaks, sprechen=speak, reden=talk, lauft=walks, laufen=walk, gehen=walk, heben=lift
hochheben=lift, halten=hold, schlucken=swallow, geschluckt=swallowed, verschluckt=swallowed
nehmen=take, nimmt=takes, genommen=taken, eingenommen=taken, nehme=take, trinken=drink, trinkt=drinks
getrunken=drank, essen=eat, isst=eats, gegessen=ate, fallen=fall, fallt=falls, gefallen=fell
gesturzt=fell, sturz=fall, sturzt=falls, gestossen=hit, angefahren=hit, uberfahren=run over, blutet=bleeding
bluten=bleed, blutung=bleeding, blut=blood, geblutet=bled, erbricht=vomiting, erbrechen=vomit
erbrochen=vomited, ubergeben=vomit, kotzt=vomiting, verbrannt=burned, verbrennen=burn, verbrennung=burn
verbruht=scalded, verbruhung=scald, brennt=burns, geschnitten=cut, schneiden=cut, schnitt=cut
ritzen=self harm cutting, ritze=cut myself, geritzt=cut, verletzt=injured, verletzen=hurt, verletzung=injury
wunde=wound, tut weh=hurts, weh=hurts, zittert=shaking, zittern=shake, schwitzt=sweating, schwitzen=sweat
schweiss=sweat, friert=freezing, frieren=freezing, sterben=die, stirbt=dies, gestorben=died, tot=dead
toten=kill, umbringen=kill myself, umgebracht=killed, selbstmord=suicide, suizid=suicide
suizidal=suicidal, leben=live, lebt=alive, lebendig=alive, beenden=end, aufhoren=stop, hort=stops
weitermachen=go on, angefangen=started, begonnen=started, beginnt=starts, schlimmer=worse
passiert=happens, geschehen=happened, gefunden=found, finden=find, vergessen=forget, sorgen=worry
angst=fear, beisst=bites, gebissen=bit, biss=bite, stich=sting, gestochen=stung, schwellen=swell
schwillt=swelling, geschwollen=swollen, schwellung=swelling, wird=becomes, kommt=comes, raus=out
offnen=open, offnet=opens, schliessen=close, erkennt=recognises, erinnert=remembers, beruhrt=touched
drucken=press, druckt=presses, verschwinden=fade, verschwindet=fades, verblassen=fade, geben=give
gibt=gives, verschenkt=giving away, verschenke=give away, verabschiedet=said goodbye, abschied=goodbye
abschiedsbrief=goodbye letter, brief=letter, plan=plan, bekommt=gets, bekommen=get, kriegt=gets
gebrochen=broken, bricht=breaks, tabletten=pills, tablette=pill, pillen=pills
# body
kopf=head, gesicht=face, auge=eye, augen=eyes, mund=mouth, lippe=lip, lippen=lips, zunge=tongue
zahn=tooth, zahne=teeth, nase=nose, ohr=ear, hals=neck, nacken=neck, kehle=throat, rachen=throat
brust=chest, brustkorb=chest, rucken=back, schulter=shoulder, arm=arm, arme=arms, ellbogen=elbow
handgelenk=wrist, hand=hand, hande=hands, finger=finger, bein=leg, beine=legs, knie=knee, knochel=ankle
fuss=foot, fusse=feet, hufte=hip, bauch=belly, unterbauch=lower belly, magen=stomach, seite=side
rechts=right, rechte=right, rechten=right, links=left, linke=left, linken=left, herz=heart
lunge=lung, gehirn=brain, hirn=brain, leber=liver, niere=kidney, haut=skin, knochen=bone, hoden=testicle
korper=body, fontanelle=soft spot, windel=nappy, windeln=nappies, urin=urine, stuhl=stool
stuhlgang=stool, sicht=vision, stimme=voice, puls=pulse
# symptoms
schmerz=pain, schmerzen=pain, stark=severe, starke=severe, starken=severe, starker=severe, heftig=severe
heftige=severe, leicht=mild, leichte=mild, schlimm=bad, schlimme=bad, akut=acute, akute=acute
druck=pressure, engegefuhl=tightness, eng=tight, brennen=burning, sodbrennen=heartburn, fieber=fever
hohes=high, hohe=high, hoch=high, temperatur=temperature, kalt=cold, eiskalt=ice cold, heiss=hot
hitze=heat, trocken=dry, trockene=dry, schwindel=dizziness, schwindelig=dizzy, ubel=nauseous
ubelkeit=nausea, verwirrt=confused, durcheinander=confused, desorientiert=disoriented, unruhig=agitated
benommen=drowsy, schlafrig=drowsy, schwach=weak, schwache=weakness, mude=tired, blass=pale, bleich=pale
blau=blue, blaue=blue, blaulich=bluish, lila=purple, violett=purple, rot=red, rote=red, schwarz=black
schwarzer=black, gelb=yellow, grau=grey, flecken=spots, fleckig=mottled, ausschlag=rash, nesselsucht=hives
quaddeln=hives, juckreiz=itching, blase=blister, blasen=blisters, steif=stiff, hart=hard
bretthart=rigid, schlaff=floppy, vorgewolbt=bulging, gewolbt=bulging, eingesunken=sunken
schief=drooping, hangt=droops, herab=down, taub=numb, kribbeln=tingling, gelahmt=paralysed
lahmung=paralysis, pfeift=wheezing, keucht=gasping, atemnot=shortness of breath, krampf=seizure
krampft=seizing, krampfe=seizures, krampfanfall=seizure, anfall=fit, epilepsie=epilepsy, zuckt=jerking
migrane=migraine, kopfschmerzen=headache, licht=light, punkte=spots, blind=blind, verschwommen=blurry
doppelt=double, durst=thirst, fruchtig=fruity, geruch=smell, riecht=smells, durchfall=diarrhoea
verstopfung=constipation, grippe=flu, erkaltung=cold, muskelkater=sore muscles
# conditions
herzinfarkt=heart attack, infarkt=heart attack, herzinfarkts=heart attack, herzstillstand=cardiac arrest
schlaganfall=stroke, asthma=asthma, allergie=allergy, allergisch=allergic, anaphylaxie=anaphylaxis
anaphylaktischen=anaphylactic, anaphylaktisch=anaphylactic, schock=shock, meningitis=meningitis
hirnhautentzundung=meningitis, sepsis=sepsis, blutvergiftung=sepsis, infektion=infection
diabetes=diabetes, diabetiker=diabetic, diabetikerin=diabetic, zucker=sugar, blutzucker=blood sugar
unterzucker=low blood sugar, unterzuckerung=hypoglycaemia, insulin=insulin, ketoazidose=ketoacidosis
bluthochdruck=high blood pressure, blutdruck=blood pressure, schwangerschaft=pregnancy
schwanger=pregnant, geburt=birth, wehen=contractions, fruchtwasser=waters, fruchtblase=waters
nabelschnur=cord, plazenta=placenta, praeklampsie=pre eclampsia, fehlgeburt=miscarriage
kindsbewegungen=baby movements, uberdosis=overdose, vergiftung=poisoning, vergiftet=poisoned, gift=poison
giftig=toxic, kohlenmonoxid=carbon monoxide, gas=gas, heizung=heater, therme=boiler, boiler=boiler
heizkessel=boiler, ofen=stove, generator=generator, rauch=smoke, brand=fire, feuer=fire
stromschlag=electric shock, strom=electricity, elektrisch=electric, kabel=cable, steckdose=socket
blitz=lightning, hitzschlag=heat stroke, sonnenstich=heatstroke, unterkuhlung=hypothermia
unterkuhlt=hypothermic, ertrunken=drowned, ertrinken=drown, ertrinkt=drowning, schwimmbad=pool
wasser=water, meer=sea, see=lake, fluss=river, blinddarm=appendix, blinddarmentzundung=appendicitis
geschwur=ulcer, magengeschwur=stomach ulcer, kaffeesatz=coffee grounds, bruch=fracture, gebrochen=broken
unfall=accident, autounfall=car accident, auto=car, motorrad=motorbike, fahrrad=bike, erstochen=stabbed
messer=knife, messerstich=stab wound, schuss=shot, angeschossen=shot, hohe=height, leiter=ladder
dach=roof, balkon=balcony, fenster=window, gehirnerschutterung=concussion, krebs=cancer, schluckauf=hiccups
# substances
medikament=medicine, medikamente=medicines, medikamenten=medicines, arznei=medicine, dosis=dose
paracetamol=paracetamol, ibuprofen=ibuprofen, aspirin=aspirin, antibiotikum=antibiotic
antibiotika=antibiotics, antidepressiva=antidepressants, schlaftabletten=sleeping pills
schmerzmittel=painkillers, alkohol=alcohol, betrunken=drunk, drogen=drugs, droge=drug, bleiche=bleach
bleichmittel=bleach, chlor=bleach, waschmittel=detergent, spulmittel=detergent, reiniger=cleaner
putzmittel=cleaning product, kapsel=pod, kapseln=pods, batterie=battery, knopfbatterie=button battery
knopfzelle=button battery, magnete=magnets, magnet=magnet, chemikalie=chemical, chemisch=chemical
lauge=lye, saure=acid, benzin=petrol, pilze=mushrooms, inhalator=inhaler, spray=inhaler, glas=glass
bugeleisen=iron, topf=pot, ol=oil, kochend=boiling, kochendes=boiling, tasse=cup, nusse=nuts
erdnusse=peanuts, erdnuss=peanut, meeresfruchte=seafood, biene=bee, wespe=wasp, hund=dog
schlange=snake, gemuse=vegetables
# framing
symptome=symptoms, symptom=symptom, anzeichen=signs, ursachen=causes, ursache=cause, behandlung=treatment
diagnose=diagnosis, unterschied=difference, beispiel=example, prufung=exam, prufungen=exams
klausur=exam, test=test, frage=question, fragen=questions, kurs=course, unterricht=class
vorlesung=lecture, hausaufgaben=homework, hausaufgabe=homework, referat=presentation
doktorarbeit=thesis, abschlussarbeit=thesis, lehrbuch=textbook, buch=book, schule=school
uni=university, universitat=university, studium=studies, studiere=study, lernen=learn, lerne=study
erste=first, schulung=training, ausbildung=training, ubung=exercise, hypothetisch=hypothetically
angenommen=suppose, theoretisch=theoretically, fall=case, theorie=theory, roman=novel, figur=character
geschichte=story, film=film, serie=series, spiel=game, witz=joke, normal=normal, gefahrlich=dangerous
sicher=safe, erblich=hereditary, risiko=risk, nebenwirkungen=side effects, zusammen=together
sport=sport, danke=thanks, hallo=hello, genau=exactly, passiert=happens
# everyday
haus=house, hause=home, zuhause=home, strasse=street, arbeit=work, bett=bed, boden=floor, bad=bathroom
kuche=kitchen, zimmer=room, feld=field, garten=garden, strand=beach, sonne=sun, schnee=snow
berg=mountain, berge=mountains, draussen=outside, drinnen=inside, oben=up, unten=down, nah=near
weit=far, neu=new, alt=old, alte=old, klein=small, kleine=small, gross=big, grosse=big, lang=long
voll=full, leer=empty, komisch=strange, seltsam=strange, anders=different, ding=thing, dinge=things
teil=part, weise=way, wert=value, werte=levels
""")
_DE_RULES = _rules(
    (
        r"\bvor (?:etwa |ungefahr |uber |mehr als )?((?:\w+ )?)(jahr(?:en)?|monat(?:en)?|woche(?:n)?|tag(?:en)?|"
        r"stunde(?:n)?|minute(?:n)?)\b",
        r"\1\2 AGO",
    ),
    (r"\bals ich (?:klein|ein kind|jung) war\b", "WHEN I WAS A CHILD"),
    (r"\b(?:will|mochte) (?:nicht mehr|nicht) leben\b", "DON'T WANT TO LIVE ANYMORE"),
    (r"\b(?:will|mochte) sterben\b", "WANT TO DIE"),
    (r"\bmich (?:umbringen|toten)\b|\bmir das leben nehmen\b", "KILL MYSELF"),
    (r"\bohne mich besser dran\b", "BETTER OFF WITHOUT ME"),
    (r"\bkann nicht mehr\b", "CAN'T GO ON"),
    (r"\b(?:kann|kannst|konnen|konnte) (?:\w+ )?(?:nicht|kaum)\b", "CAN'T"),
    (r"\b(?:ist|bin|sind|war|hat|habe|hab) nicht\b", lambda m: m.group(0).split()[0] + " NOT"),
    (r"\bhort (?:\w+ )?nicht auf\b", "DOESN'T STOP"),
    (r"\b(\w+) nicht mehr\b", r"NOT \1 ANYMORE"),
    (r"\b(\w+) nicht\b", r"NOT \1"),
    (r"\bkeine luft\b|\bschlecht luft\b|\bkaum luft\b", "CAN'T BREATHE"),
    (r"\bheute (?:morgen|fruh)\b", "THIS MORNING"),
    (r"\bheute (?:abend|nacht)\b", "TONIGHT"),
    (r"\bletzte nacht\b|\bgestern abend\b", "LAST NIGHT"),
    (r"\bletztes jahr\b", "LAST YEAR"),
    (r"\bauf einmal\b", "SUDDENLY"),
    (r"\bgerade eben\b", "JUST NOW"),
    (r"\bein bisschen\b|\bein wenig\b", "A BIT"),
    (r"\berste hilfe\b", "FIRST AID"),
    (r"\bwas ist\b", "WHAT IS"),
    (r"\bwas (?:soll|mache|muss) ich\b|\bwas (?:sollte )?man tun\b", "WHAT SHOULD I DO"),
    (r"\btut (?:sehr )?weh\b", "HURTS"),
)


# ---------------------------------------------------------------------------------------------------
# Portuguese
_PT_WORDS = _table("""
eu=i, tu=you, voce=you, ele=he, ela=she, nos=we, eles=they, elas=they, voces=you, me=me, mim=me, te=you
se=if, lhe=him, o=the, a=the, os=the, as=the, um=a, uma=a, uns=some, umas=some, meu=my, minha=my
meus=my, minhas=my, teu=your, tua=your, seu=his, sua=her, seus=his, suas=her, nosso=our, nossa=our
dele=his, dela=her, deles=their, do=of the, da=of the, dos=of the, das=of the, de=of, no=in the
na=in the, nas=in the, num=in a, numa=in a, em=in, ao=to the, aos=to the, pelo=by the, pela=by the
com=with, sem=without, por=for, para=for, pra=for, sobre=on, entre=between, ate=until, desde=since
durante=during, contra=against, depois=after, antes=before, e=and, ou=or, mas=but, porem=but, que=that
porque=because, como=how, quando=when, onde=where, quem=who, qual=which, quais=which, quanto=how much
quantos=how many, quantas=how many, isso=that, isto=this, esse=that, essa=that, este=this, esta=this
aquele=that, outro=other, outra=other, outros=others, mesmo=same, todo=all, toda=whole, todos=all
todas=all, tudo=everything, nada=nothing, algo=something, alguem=someone, ninguem=nobody, cada=every
algum=some, alguma=some, nenhum=no, nenhuma=no, nao=not, nunca=never, jamais=never, nem=nor
tambem=also, ja=already, ainda=still, muito=very, muita=a lot, muitos=many, muitas=many, pouco=little
pouca=little, poucos=few, demais=too much, mais=more, menos=less, bastante=quite, tao=so, quase=almost
so=only, somente=only, apenas=only, mal=barely, bem=well, melhor=better, pior=worse, assim=like this
aqui=here, ali=there, la=there, agora=now, hoje=today, ontem=yesterday, amanha=tomorrow, antes=before
sempre=always, logo=soon, cedo=early, tarde=afternoon, noite=night, dia=day, dias=days, semana=week
semanas=weeks, mes=month, meses=months, ano=year, anos=years, hora=hour, horas=hours, minuto=minute
minutos=minutes, segundos=seconds, vez=time, vezes=times, momento=moment, subito=sudden
subitamente=suddenly, rapido=fast, rapida=fast, devagar=slowly, entao=then, ha=there is, faz=ago
dois=two, duas=two, tres=three, quatro=four, cinco=five, seis=six, sete=seven, oito=eight, nove=nine
dez=ten, onze=eleven, doze=twelve, quinze=fifteen, vinte=twenty, trinta=thirty, quarenta=forty
cinquenta=fifty, cem=hundred, primeiro=first, primeira=first, meio=half, metade=half
# people
pai=father, mae=mother, papai=dad, mamae=mom, pais=parents, filho=son, filha=daughter, filhos=children
bebe=baby, bebes=babies, nene=baby, crianca=child, criancas=children, menino=boy, menina=girl
irmao=brother, irma=sister, avo=grandmother, avos=grandparents, vovo=grandma, marido=husband
esposo=husband, esposa=wife, mulher=wife, homem=man, namorado=boyfriend, namorada=girlfriend
amigo=friend, amiga=friend, amigos=friends, vizinho=neighbour, vizinha=neighbour, colega=colleague
tio=uncle, tia=aunt, primo=cousin, prima=cousin, neto=grandson, neta=granddaughter, familia=family
gente=people, pessoa=person, pessoas=people, senhor=man, senhora=lady, idoso=elderly man
idosa=elderly woman, paciente=patient, pacientes=patients, medico=doctor, medica=doctor
enfermeira=nurse, enfermeiro=nurse, enfermagem=nursing, professor=teacher, aluno=student
estudante=student
# verbs
sou=i am, es=are, e=and, somos=we are, sao=are, era=was, foi=was, fui=i was, sido=been, ser=be
estou=i am, esta=is, estamos=we are, estao=are, estava=was, esteve=was, estive=i was, estar=be
tenho=i have, tem=has, temos=we have, tinha=had, teve=had, tive=i had, tido=had, ter=have, havia=there was
posso=i can, pode=can, podemos=we can, podem=can, podia=could, pude=i could, poder=can, poderia=could
consigo=i can, consegue=can, conseguem=can, conseguir=manage, conseguia=could, quero=i want, quer=wants
queremos=we want, querem=want, queria=wanted, querer=want, devo=i should, deve=should, deveria=should
preciso=i need, precisa=needs, vou=i am going, vai=goes, vamos=we go, vao=go, ia=was going, ir=go
fazer=do, faco=i do, fez=did, feito=done, sei=i know, sabe=knows, saber=know, acho=i think
penso=i think, parece=seems, sinto=i feel, sente=feels, sentir=feel, senti=i felt, sentiu=felt
vejo=i see, ve=sees, vi=i saw, viu=saw, ver=see, diz=says, disse=said, dizer=say, ligar=call
chamar=call, chamei=i called, ajuda=help, ajudar=help, ajudem=help, socorro=help, urgente=urgent
urgencia=emergency, emergencia=emergency, ambulancia=ambulance, samu=ambulance, hospital=hospital
respirar=breathe, respira=breathing, respiro=i breathe, respiracao=breathing, engasgado=choking
engasgada=choking, engasgou=choked, engasgando=choking, sufocando=suffocating, sufocar=suffocate
tosse=cough, tossir=cough, tossindo=coughing, chorar=cry, chora=crying, choro=crying, chorando=crying
acordar=wake up, acorda=waking, acordou=woke up, acordado=awake, dormir=sleep, dorme=sleeps
dormindo=sleeping, desmaiou=fainted, desmaiei=i fainted, desmaiar=faint, desmaio=fainting
desmaiado=fainted, desmaiada=fainted, inconsciente=unconscious, responde=responding, reage=reacting
mexer=move, mexe=moves, mover=move, move=moves, movimento=movement, movimentos=movements, falar=speak
fala=speaks, andar=walk, anda=walks, levantar=lift, levanta=lifts, segurar=hold, engolir=swallow
engoliu=swallowed, engoli=i swallowed, tomar=take, toma=takes, tomou=took, tomei=i took, tomado=taken
beber=drink, bebe agua=drinks water, bebeu=drank, bebi=i drank, comer=eat, come=eats, comeu=ate
comi=i ate, cair=fall, cai=falls, caiu=fell, cai de=fell from, caido=fallen, caida=fallen, queda=fall
bater=hit, bateu=hit, bati=i hit, batida=crash, atropelado=run over, atropelada=run over
sangrar=bleed, sangra=bleeding, sangrando=bleeding, sangramento=bleeding, sangue=blood
hemorragia=haemorrhage, vomitar=vomit, vomita=vomiting, vomito=vomit, vomitos=vomiting
vomitando=vomiting, vomitou=vomited, queimar=burn, queimou=burned, queimei=i burned, queimado=burned
queimada=burned, queimadura=burn, queimaduras=burns, escaldado=scalded, cortar=cut, corte=cut
cortou=cut, cortei=i cut, cortado=cut, cortes=cuts, machucar=hurt, machucou=hurt, machucado=hurt
ferido=injured, ferida=wound, ferimento=injury, doer=hurt, doi=hurts, doendo=hurting, tremer=shake
treme=shaking, tremendo=shaking, tremores=tremors, suar=sweat, sua=his, suando=sweating, suor=sweat
suado=sweaty, calafrios=chills, morrer=die, morre=dies, morreu=died, morto=dead, morta=dead
morrendo=dying, matar=kill, suicidio=suicide, suicida=suicidal, viver=live, vida=life, vivo=alive
acabar=end, terminar=end, aguento=i can take, aguentar=bear, continuar=go on, comecou=started
comecar=start, parar=stop, para=for, parou=stopped, piorando=getting worse, piora=gets worse
melhorou=got better, acontece=happens, aconteceu=happened, encontrei=i found, encontrou=found
achei=i found, esquecer=forget, preocupar=worry, preocupado=worried, preocupada=worried, medo=fear
mordeu=bit, mordida=bite, picada=sting, inchar=swell, incha=swelling, inchado=swollen, inchada=swollen
inchados=swollen, inchadas=swollen, inchaco=swelling, ficou=became, fica=becomes, ficando=becoming
sai=comes out, sair=come out, saiu=came out, abrir=open, abre=opens, fechar=close, reconhece=recognises
lembra=remembers, tocar=touch, apertar=press, pressao=pressure, desaparecem=fade, desaparece=fades
sumir=disappear, somem=fade, dar=give, deu=gave, dando=giving, despedi=said goodbye
despedida=goodbye, adeus=goodbye, carta=letter, plano=plan, decidi=i decided, pronto=ready
comprimidos=pills, comprimido=pill, pilulas=pills, remedios=medicines, remedio=medicine
espirrou=splashed, jeito=way, estranho=strange, estranha=strange
# body
cabeca=head, rosto=face, cara=face, olho=eye, olhos=eyes, boca=mouth, labio=lip, labios=lips
lingua=tongue, dente=tooth, dentes=teeth, nariz=nose, orelha=ear, ouvido=ear, pescoco=neck, nuca=neck
garganta=throat, peito=chest, torax=chest, costas=back, ombro=shoulder, braco=arm, bracos=arms
cotovelo=elbow, pulso=wrist, mao=hand, maos=hands, dedo=finger, dedos=fingers, perna=leg, pernas=legs
joelho=knee, tornozelo=ankle, pe=foot, pes=feet, quadril=hip, barriga=belly, abdomen=abdomen
abdome=abdomen, estomago=stomach, lado=side, direito=right, direita=right, esquerdo=left
esquerda=left, coracao=heart, pulmao=lung, pulmoes=lungs, cerebro=brain, figado=liver, rim=kidney
pele=skin, osso=bone, ossos=bones, testiculo=testicle, testiculos=testicles, corpo=body
moleira=soft spot, fontanela=soft spot, fralda=nappy, fraldas=nappies, xixi=pee, urina=urine, fezes=stools
coco=stool, visao=vision, vista=sight, voz=voice, halito=breath, folego=breath
# symptoms
dor=pain, dores=pains, forte=severe, fortes=severe, intensa=intense, intenso=intense, grave=serious
leve=mild, aperto=tightness, peso=weight, ardor=burning, azia=heartburn, queimacao=burning
febre=fever, temperatura=temperature, frio=cold, fria=cold, gelado=ice cold, gelada=ice cold
quente=hot, calor=heat, seco=dry, seca=dry, tontura=dizziness, tonto=dizzy, tonta=dizzy, enjoo=nausea
nausea=nausea, confuso=confused, confusa=confused, desorientado=disoriented, desorientada=disoriented
agitado=agitated, agitada=agitated, sonolento=drowsy, sonolenta=drowsy, fraco=weak, fraca=weak
fraqueza=weakness, cansado=tired, cansada=tired, palido=pale, palida=pale, azul=blue, azuis=blue
roxo=purple, roxa=purple, roxas=purple, roxos=purple, arroxeado=bluish, vermelho=red, vermelha=red
vermelhas=red, preto=black, preta=black, pretas=black, escuro=dark, amarelo=yellow, manchas=spots
mancha=spot, erupcao=rash, urticaria=hives, coceira=itching, bolha=blister, bolhas=blisters
rigido=stiff, rigida=stiff, duro=hard, dura=hard, mole=floppy, molinho=floppy, flacido=floppy
abaulada=bulging, afundada=sunken, torta=drooping, torto=drooping, caida=drooping, dormente=numb
formigamento=tingling, paralisado=paralysed, chiado=wheeze, ofegante=gasping, falta=lack, ar=air
convulsao=seizure, convulsoes=seizures, convulsionando=seizing, crise=attack, ataque=attack
epilepsia=epilepsy, epileptico=epileptic, espasmos=spasms, enxaqueca=migraine, luz=light, pontos=spots
cego=blind, profundo=deep, profunda=deep, embacada=blurry, turva=blurry, dupla=double, jato=spurts
poca=pool, sede=thirst
frutado=fruity, cheiro=smell, diarreia=diarrhoea, prisao de ventre=constipation, gripe=flu
resfriado=cold, tosse seca=dry cough
# conditions
infarto=heart attack, enfarte=heart attack, avc=stroke, derrame=stroke, asma=asthma, bombinha=inhaler
alergia=allergy, alergico=allergic, alergica=allergic, anafilaxia=anaphylaxis, choque=shock
anafilatico=anaphylactic, meningite=meningitis, sepse=sepsis, sepsis=sepsis, infeccao=infection
diabetes=diabetes, diabetico=diabetic, diabetica=diabetic, acucar=sugar, glicose=glucose
glicemia=blood sugar, hipoglicemia=hypoglycaemia, insulina=insulin, cetoacidose=ketoacidosis
hipertensao=hypertension, gravidez=pregnancy, gravida=pregnant, gestante=pregnant, parto=labour
contracoes=contractions, bolsa=waters, cordao=cord, placenta=placenta, preeclampsia=pre eclampsia
aborto=miscarriage, overdose=overdose, superdosagem=overdose, intoxicacao=poisoning
envenenamento=poisoning, veneno=poison, envenenado=poisoned, toxico=toxic, monoxido=monoxide
carbono=carbon, gas=gas, aquecedor=heater, caldeira=boiler, gerador=generator, fumaca=smoke
incendio=fire, fogo=fire, eletrocutado=electrocuted, choque eletrico=electric shock, eletrico=electric
eletricidade=electricity, fio=wire, tomada=socket, raio=lightning, insolacao=heatstroke
hipotermia=hypothermia, congelado=frozen, afogamento=drowning, afogado=drowned, afogou=drowned
piscina=pool, agua=water, mar=sea, rio=river, apendicite=appendicitis, ulcera=ulcer, borra=grounds
fratura=fracture, quebrado=broken, quebrada=broken, quebrou=broke, osso exposto=bone through skin
acidente=accident, carro=car, moto=motorbike, bicicleta=bike, esfaqueado=stabbed, esfaqueada=stabbed
faca=knife, facada=stab wound, tiro=gunshot, bala=bullet, baleado=shot, altura=height, escada=ladder
telhado=roof, varanda=balcony, janela=window, concussao=concussion, traumatismo=trauma, cancer=cancer
soluco=hiccups
# substances
medicamento=medicine, medicamentos=medicines, dose=dose, doses=doses, paracetamol=paracetamol
dipirona=metamizole, ibuprofeno=ibuprofen, aspirina=aspirin, antibiotico=antibiotic
antibioticos=antibiotics, antidepressivos=antidepressants, calmantes=sedatives, analgesicos=painkillers
alcool=alcohol, bebado=drunk, bebada=drunk, droga=drug, drogas=drugs, agua sanitaria=bleach
candida=bleach, cloro=bleach, detergente=detergent, sabao=soap, capsula=pod, capsulas=pods
pilha=battery, pilhas=batteries, bateria=battery, botao=button, ima=magnet, imas=magnets
produto=product, produtos=products, limpeza=cleaning, quimico=chemical, soda=soda, caustica=caustic
acido=acid, gasolina=petrol, cogumelos=mushrooms, inalador=inhaler, copo=glass, vidro=glass
ferro=iron, panela=pan, oleo=oil, fervendo=boiling, xicara=cup, comida=food, nozes=nuts
amendoim=peanuts, camarao=shrimp, frutos do mar=seafood, abelha=bee, vespa=wasp, cachorro=dog, cobra=snake
# framing
sintomas=symptoms, sintoma=symptom, sinais=signs, causas=causes, causa=cause, tratamento=treatment
diagnostico=diagnosis, diferenca=difference, exemplo=example, prova=exam, exame=exam, provas=exams
teste=test, questao=question, pergunta=question, perguntas=questions, aula=class, aulas=classes
curso=course, palestra=lecture, licao=homework, trabalho=assignment, tese=thesis, tcc=thesis
livro=book, apostila=textbook, escola=school, colegio=school, faculdade=university
universidade=university, estudo=study, estudando=studying, estudar=study, aprender=learn
socorros=aid, treinamento=training, formacao=training, simulado=mock exam, hipoteticamente=hypothetically
hipotese=hypothesis, imagine=imagine, suponha=suppose, caso=case, teoria=theory, romance=novel
personagem=character, historia=story, filme=film, serie=series, jogo=game, brincadeira=joke
normal=normal, perigoso=dangerous, seguro=safe, hereditario=hereditary, risco=risk, efeitos=effects
colaterais=side effects, juntos=together, junto=together, exercicio=exercise, esporte=sport
obrigado=thanks, obrigada=thanks, ola=hello, conduta=management, posicao=position, lateral=lateral
seguranca=safety, compressoes=compressions, rcp=cpr, massagem=massage, cardiaca=cardiac
# everyday
casa=home, rua=street, cama=bed, chao=floor, banheiro=bathroom, cozinha=kitchen, quarto=room
campo=field, praia=beach, sol=sun, neve=snow, fora=outside, dentro=inside, cima=up, baixo=down
perto=near, longe=far, novo=new, velho=old, pequeno=small, pequena=small, grande=big, longo=long
alto=high, alta=high, cheio=full, vazio=empty, diferente=different, igual=same, coisa=thing
coisas=things, parte=part, forma=way, nivel=level, numero=number
""")
_PT_RULES = _rules(
    (
        r"\b(?:ha|faz) (?:uns |umas |cerca de |mais de |menos de )?((?:\w+ )?)(anos?|mes(?:es)?|semanas?|dias?|horas?|"
        r"minutos?)\b",
        r"\1\2 AGO",
    ),
    (r"\bquando (?:eu )?era (?:crianca|pequeno|pequena|jovem)\b", "WHEN I WAS A CHILD"),
    (r"\bquero morrer\b", "I WANT TO DIE"),
    (r"\bnao quero (?:mais )?viver\b", "I DON'T WANT TO LIVE ANYMORE"),
    (r"\b(?:vou )?me matar\b", "KILL MYSELF"),
    (r"\btirar (?:a )?minha (?:propria )?vida\b", "TAKE MY LIFE"),
    (r"\bacabar com tudo\b", "END IT ALL"),
    (r"\b(?:estariam|ficariam) melhor sem mim\b", "BETTER OFF WITHOUT ME"),
    (r"\bnao aguento mais\b", "I CAN'T GO ON"),
    (r"\bnao (?:posso|consigo)\b", "I CAN'T"),
    (r"\bnao (?:pode|podem|consegue|conseguem|conseguia|podia)\b", "CAN'T"),
    (r"\bnao (?:esta|estao|estava) (\w+(?:ando|endo|indo))\b", r"ISN'T \1"),
    (r"\bnao tenho\b", "I DON'T HAVE"),
    (r"\bja nao\b|\bnao (\w+) mais\b", lambda m: f"NOT {m.group(1)} ANYMORE" if m.group(1) else "NO LONGER"),
    (r"\bfalta de ar\b", "SHORTNESS OF BREATH"),
    (r"\bdor de cabeca\b", "HEADACHE"),
    (r"\bdor de barriga\b|\bdor de estomago\b", "STOMACH PAIN"),
    (r"\bdor no peito\b", "CHEST PAIN"),
    (r"\bataque cardiaco\b|\bataque do coracao\b", "HEART ATTACK"),
    (r"\bprimeiros socorros\b", "FIRST AID"),
    (r"\besta noite\b|\bhoje a noite\b", "TONIGHT"),
    (r"\bhoje de manha\b|\besta manha\b", "THIS MORNING"),
    (r"\bontem a noite\b", "LAST NIGHT"),
    (r"\bano passado\b", "LAST YEAR"),
    (r"\bde repente\b|\bdo nada\b", "SUDDENLY"),
    (r"\bagora mesmo\b", "RIGHT NOW"),
    (r"\bum pouco\b", "A BIT"),
    (r"\bo que (?:e|sao)\b", "WHAT IS"),
    (r"\bo que (?:fazer|faco)\b", "WHAT SHOULD I DO"),
    (r"\bpor que\b|\bpor qu\b", "WHY"),
    (r"\bestou com\b", "I HAVE"),
    (r"\besta com\b", "HAS"),
    (r"\b(?:me |se )(?=\w+(?:ou|ei|ar|ando)\b)", ""),
)


# ---------------------------------------------------------------------------------------------------
# Italian
_IT_WORDS = _table("""
io=i, tu=you, lui=he, lei=she, noi=we, voi=you, loro=they, mi=me, ti=you, si=, ci=us, vi=you, gli=him
le=the, lo=the, la=the, il=the, i=the, l=the, un=a, uno=a, una=a, mio=my, mia=my, miei=my, mie=my
tuo=your, tua=your, suo=his, sua=her, suoi=his, nostro=our, nostra=our, di=of, del=of the, della=of the
dei=of the, delle=of the, dello=of the, degli=of the, a=to, al=to the, alla=to the, ai=to the
alle=to the, allo=to the, da=from, dal=from the, dalla=from the, in=in, nel=in the, nella=in the
nei=in the, con=with, col=with the, su=on, sul=on the, sulla=on the, per=for, tra=between, fra=between
senza=without, dopo=after, prima=before, durante=during, contro=against, fino=until, verso=towards
e=and, ed=and, o=or, oppure=or, ma=but, pero=but, che=that, perche=because, come=how, quando=when
dove=where, chi=who, quale=which, quali=which, quanto=how much, quanti=how many, quante=how many
questo=this, questa=this, questi=these, quello=that, quella=that, altro=other, altra=other, altri=others
stesso=same, tutto=all, tutta=whole, tutti=all, tutte=all, niente=nothing, nulla=nothing
qualcosa=something, qualcuno=someone, nessuno=nobody, nessun=no, nessuna=no, ogni=every
non=not, no=no, mai=never, ne=nor
anche=also, gia=already, ancora=still, molto=very, tanto=a lot, tanti=many, molti=many, poco=little
pochi=few, troppo=too much, troppi=too many, troppe=too many, piu=more, meno=less, abbastanza=quite
cosi=so, quasi=almost, solo=only, soltanto=only, appena=just, bene=well, male=badly, meglio=better
peggio=worse, qui=here, qua=here, li=there, la=the, adesso=now, ora=now, oggi=today, ieri=yesterday
domani=tomorrow, sempre=always, spesso=often, presto=soon, tardi=late, poi=then, allora=then, sera=evening
stasera=tonight, stamattina=this morning, stanotte=last night, mattina=morning, notte=night
pomeriggio=afternoon, giorno=day, giorni=days, settimana=week, settimane=weeks, mese=month, mesi=months
anno=year, anni=years, ora=hour, ore=hours, minuto=minute, minuti=minutes, secondi=seconds, volta=time
volte=times, momento=moment, improvvisamente=suddenly, improvviso=sudden, all'improvviso=suddenly
veloce=fast, lento=slow, fa=ago, due=two, tre=three, quattro=four, cinque=five, sei=six, sette=seven
otto=eight, nove=nine, dieci=ten, undici=eleven, dodici=twelve, quindici=fifteen, venti=twenty
trenta=thirty, quaranta=forty, cinquanta=fifty, cento=hundred, primo=first, mezzo=half, meta=half
# people
padre=father, madre=mother, papa=dad, mamma=mom, genitori=parents, figlio=son, figlia=daughter
figli=children, bambino=child, bambina=girl, bambini=children, bimbo=baby, bimba=baby, neonato=newborn
neonata=newborn, ragazzo=boy, ragazza=girl, fratello=brother, sorella=sister, nonno=grandfather
nonna=grandmother, nonni=grandparents, marito=husband, moglie=wife, donna=woman, uomo=man
fidanzato=boyfriend, fidanzata=girlfriend, compagno=partner, compagna=partner, amico=friend
amica=friend, amici=friends, vicino=neighbour, vicina=neighbour, coinquilino=flatmate
coinquilina=flatmate, collega=colleague, zio=uncle, zia=aunt, cugino=cousin, nipote=grandchild
famiglia=family, gente=people, persona=person, persone=people, signore=man, signora=lady
anziano=elderly man, anziana=elderly woman, paziente=patient, pazienti=patients, medico=doctor
dottore=doctor, infermiere=nurse, infermiera=nurse, professore=teacher, studente=student
studentessa=student
# verbs
sono=am, sei=are, e=and, siamo=are, siete=are, era=was, ero=was, fu=was, stato=been, stata=been
essere=be, sto=i am, sta=is, stai=are, stanno=are, stava=was, stare=be, ho=i have, hai=have, ha=has
abbiamo=have, hanno=have, aveva=had, avevo=had, avuto=had, avere=have, posso=i can, puoi=can, puo=can
possiamo=can, possono=can, poteva=could, potrebbe=could, potere=can, riesco=i can, riesce=can
riuscire=manage, voglio=i want, vuoi=want, vuole=wants, vogliamo=want, voleva=wanted, volere=want
devo=i must, deve=must, dovrei=should, dovrebbe=should, bisogna=must, fare=do, faccio=i do, fatto=done
vado=i go, va=goes, andiamo=go, vanno=go, andare=go, andato=gone, so=i know, sa=knows, sapere=know
credo=i think, penso=i think, sembra=seems, sento=i feel, sente=feels, sentire=feel, sentito=felt
vedo=i see, vede=sees, vedere=see, visto=saw, dice=says, detto=said, dire=say, chiamo=i call
chiama=calls, chiamare=call, chiamato=called, aiuto=help, aiutare=help, aiutatemi=help me
urgente=urgent, emergenza=emergency, pronto soccorso=emergency room, ambulanza=ambulance
ospedale=hospital, respirare=breathe, respira=breathing, respiro=breath, respirazione=breathing
soffoca=choking, soffocare=choke, soffocando=choking, strozzato=choked, tossisce=coughing
tosse=cough, tossire=cough, piange=crying, piangere=cry, pianto=cry, sveglia=wakes, svegliare=wake up
sveglio=awake, dorme=sleeping, dormire=sleep, svenuto=fainted, svenuta=fainted, svenire=faint
svenimento=fainting, incosciente=unconscious, privo=without, sensi=consciousness, risponde=responding
reagisce=reacting, muove=moves, muovere=move, movimento=movement, movimenti=movements, parlare=speak
parla=speaks, camminare=walk, cammina=walks, alzare=lift, alza=lifts, tenere=hold, inghiottire=swallow
ingoiato=swallowed, ingerito=swallowed, inghiottito=swallowed, preso=took, prendere=take, prende=takes
bere=drink, beve=drinks, bevuto=drank, mangiare=eat, mangia=eats, mangiato=ate, cadere=fall
caduto=fell, caduta=fell, cade=falls, sbattuto=hit, battuto=hit, investito=run over, investita=run over
sanguina=bleeding, sanguinare=bleed, sanguinamento=bleeding, sangue=blood, emorragia=haemorrhage
vomita=vomiting, vomitare=vomit, vomito=vomit, vomitato=vomited, bruciato=burned, bruciata=burned
bruciare=burn, bruciatura=burn, ustione=burn, ustioni=burns, ustionato=burned, scottato=scalded
scottatura=scald, tagliato=cut, tagliata=cut, tagliare=cut, taglio=cut, tagli=cuts, ferito=injured
ferita=wound, ferite=wounds, fa male=hurts, trema=shaking, tremare=shake, tremori=tremors
suda=sweating, sudare=sweat, sudato=sweaty, sudata=sweaty, sudore=sweat, brividi=shivers
morire=die, muore=dies, morto=dead, morta=dead, uccidere=kill, ammazzarmi=kill myself
uccidermi=kill myself, suicidarmi=kill myself, suicidio=suicide, suicida=suicidal, vivere=live, vita=life
vivo=alive, finire=end, farla finita=end it all, continuare=go on, iniziato=started, cominciato=started
inizia=starts, fermare=stop, ferma=stops, smettere=stop, peggiora=getting worse, peggiorando=getting worse
succede=happens, successo=happened, trovato=found, trovare=find, dimenticare=forget, preoccuparmi=worry
preoccupato=worried, preoccupata=worried, paura=fear, morso=bite, puntura=sting, punto=stung
gonfio=swollen, gonfia=swollen, gonfie=swollen, gonfi=swollen, gonfiore=swelling, diventato=became
diventa=becomes, esce=comes out, uscire=come out, uscito=came out, aprire=open, apre=opens
chiudere=close, riconosce=recognises, ricorda=remembers, toccare=touch, premere=press
scompaiono=fade, scompare=fades, sparisce=fades, dare=give, dato=gave, regalato=gave away
addio=goodbye, lettera=letter, piano=plan, deciso=decided, pronto=ready, pastiglie=pills
pillole=pills, compresse=tablets, capsule=pods
# body
testa=head, faccia=face, viso=face, occhio=eye, occhi=eyes, bocca=mouth, labbro=lip, labbra=lips
lingua=tongue, dente=tooth, denti=teeth, naso=nose, orecchio=ear, collo=neck, nuca=neck, gola=throat
petto=chest, torace=chest, schiena=back, spalla=shoulder, braccio=arm, braccia=arms, gomito=elbow
polso=wrist, mano=hand, mani=hands, dito=finger, dita=fingers, gamba=leg, gambe=legs, ginocchio=knee
caviglia=ankle, piede=foot, piedi=feet, anca=hip, pancia=belly, addome=abdomen, stomaco=stomach
fianco=side, lato=side, destro=right, destra=right, sinistro=left, sinistra=left, cuore=heart
polmone=lung, polmoni=lungs, cervello=brain, fegato=liver, rene=kidney, pelle=skin, osso=bone
ossa=bones, testicolo=testicle, testicoli=testicles, corpo=body, fontanella=soft spot, pannolino=nappy
pannolini=nappies, pipi=pee, urina=urine, feci=stools, cacca=stool, vista=sight, voce=voice
alito=breath, fiato=breath
# symptoms
dolore=pain, dolori=pains, mal=pain, forte=severe, fortissimo=very severe, forti=severe, intenso=intense
grave=serious, lieve=mild, leggero=slight, acuto=sharp, oppressione=tightness, pressione=pressure
peso=weight, bruciore=burning, acidita=heartburn, febbre=fever, temperatura=temperature, freddo=cold
fredda=cold, gelido=ice cold, gelida=ice cold, caldo=hot, calda=hot, secco=dry, secca=dry
vertigini=dizziness, capogiro=dizziness, stordito=dizzy, nausea=nausea, confuso=confused
confusa=confused, disorientato=disoriented, disorientata=disoriented, agitato=agitated, agitata=agitated
sonnolento=drowsy, assonnato=drowsy, debole=weak, debolezza=weakness, stanco=tired, stanca=tired
pallido=pale, pallida=pale, blu=blue, bluastro=bluish, cianotico=blue, viola=purple, rosso=red
rossa=red, rosse=red, nero=black, nera=black, nere=black, giallo=yellow, macchie=spots, macchia=spot
puntini=spots, eruzione=rash, orticaria=hives, prurito=itching, vescica=blister, vesciche=blisters
rigido=stiff, rigida=stiff, duro=hard, dura=hard, molle=floppy, floscio=floppy, sporgente=bulging
gonfia=bulging, storta=drooping, storto=drooping, cadente=drooping, intorpidito=numb
formicolio=tingling, paralizzato=paralysed, sibilo=wheeze, affanno=breathlessness, fiatone=breathless
convulsione=seizure, convulsioni=seizures, crisi=attack, attacco=attack, epilessia=epilepsy
epilettico=epileptic, spasmi=spasms, emicrania=migraine, luce=light, luminosi=bright, cieco=blind
profondo=deep, profonda=deep
sfocata=blurry, doppia=double, fiotti=spurts, pozza=pool, sete=thirst, fruttato=fruity, odore=smell
diarrea=diarrhoea, stitichezza=constipation, influenza=flu, raffreddore=cold
# conditions
infarto=heart attack, ictus=stroke, asma=asthma, allergia=allergy, allergico=allergic
allergica=allergic, anafilassi=anaphylaxis, anafilattico=anaphylactic, shock=shock, meningite=meningitis
sepsi=sepsis, setticemia=sepsis, infezione=infection, diabete=diabetes, diabetico=diabetic
diabetica=diabetic, zucchero=sugar, glicemia=blood sugar, ipoglicemia=hypoglycaemia, insulina=insulin
chetoacidosi=ketoacidosis, ipertensione=hypertension, gravidanza=pregnancy, incinta=pregnant
parto=labour, contrazioni=contractions, acque=waters, cordone=cord, placenta=placenta
preeclampsia=pre eclampsia, aborto=miscarriage, overdose=overdose, intossicazione=poisoning
avvelenamento=poisoning, veleno=poison, avvelenato=poisoned, tossico=toxic, monossido=monoxide
carbonio=carbon, gas=gas, caldaia=boiler, stufa=heater, generatore=generator, braciere=brazier
fumo=smoke, incendio=fire, fuoco=fire, fulminato=electrocuted, folgorato=electrocuted, scossa=shock
elettrica=electric, elettricita=electricity, cavo=cable, presa=socket, fulmine=lightning
colpo di calore=heat stroke, insolazione=heatstroke, ipotermia=hypothermia, congelato=frozen
annegamento=drowning, annegato=drowned, annegando=drowning, piscina=pool, acqua=water, mare=sea
fiume=river, appendicite=appendicitis, ulcera=ulcer, fondi=grounds, frattura=fracture, rotto=broken
rotta=broken, incidente=accident, macchina=car, auto=car, moto=motorbike, bici=bike, accoltellato=stabbed
accoltellata=stabbed, coltello=knife, coltellata=stab wound, sparato=shot, proiettile=bullet
altezza=height, scala=ladder, tetto=roof, balcone=balcony, finestra=window, commozione=concussion
trauma=trauma, cancro=cancer, tumore=tumour, singhiozzo=hiccups, lastra=sheet, vetro=glass
# substances
medicina=medicine, medicine=medicines, medicinale=medicine, medicinali=medicines, farmaco=drug
farmaci=drugs, dose=dose, dosi=doses, paracetamolo=paracetamol, tachipirina=paracetamol
ibuprofene=ibuprofen, aspirina=aspirin, antibiotico=antibiotic, antibiotici=antibiotics
antidepressivi=antidepressants, sonniferi=sleeping pills, antidolorifici=painkillers, alcol=alcohol
ubriaco=drunk, ubriaca=drunk, droga=drug, droghe=drugs, candeggina=bleach, varechina=bleach
detersivo=detergent, pila=battery, pile=batteries, batteria=battery, bottone=button, calamita=magnet
calamite=magnets, magneti=magnets, prodotto=product, prodotti=products, chimico=chemical, soda=soda
caustica=caustic, acido=acid, benzina=petrol, funghi=mushrooms, inalatore=inhaler, bicchiere=glass
ferro=iron, pentola=pot, olio=oil, bollente=boiling, tazza=cup, cibo=food, noci=nuts
arachidi=peanuts, frutti di mare=seafood, ape=bee, vespa=wasp, cane=dog, serpente=snake, pizza=pizza
# framing
sintomi=symptoms, sintomo=symptom, segni=signs, cause=causes, causa=cause, terapia=treatment
trattamento=treatment, diagnosi=diagnosis, differenza=difference, esempio=example, esame=exam
esami=exams, verifica=test, test=test, domanda=question, domande=questions, lezione=lecture
lezioni=lectures, corso=course, classe=class, compiti=homework, tesi=thesis, tesina=essay
manuale=textbook, libro=book, scuola=school, universita=university, studio=study, studiando=studying
studiare=study, imparare=learn, soccorso=aid, formazione=training, addestramento=training
esercitazione=drill, ipoteticamente=hypothetically, ipotesi=hypothesis, immagina=imagine, supponiamo=suppose
caso=case, teoria=theory, romanzo=novel, personaggio=character, storia=story, film=film, serie=series
gioco=game, scherzo=joke, normale=normal, pericoloso=dangerous, sicuro=safe, ereditario=hereditary
rischio=risk, effetti=effects, collaterali=side effects, insieme=together, esercizio=exercise
sport=sport, grazie=thanks, ciao=hi, preoccupare=worry
# everyday
casa=home, strada=street, lavoro=work, letto=bed, pavimento=floor, terra=ground, bagno=bathroom
cucina=kitchen, camera=room, campo=field, spiaggia=beach, sole=sun, neve=snow, montagna=mountain
fuori=outside, dentro=inside, sopra=above, sotto=under, lontano=far, nuovo=new, vecchio=old
piccolo=small, piccola=small, grande=big, lungo=long, alto=high, alta=high, basso=low, bassa=low
pieno=full, vuoto=empty, strano=strange, strana=strange, diverso=different, cosa=thing, cose=things
parte=part, modo=way, livello=level, numero=number, po=bit, po'=bit
""")
_IT_ELIDED = _table(
    "un=una, dell=della, all=alla, nell=nella, dall=dalla, sull=sulla, quest=questa, quell=quella, l=la, d=di, "
    "m=mi, t=ti, s=si, c=ci, n=ne"
)
_IT_RULES = _rules(
    (r"\b(?:c'e|ce)\b", "THERE IS"),
    (
        r"\b(un|dell|all|nell|dall|sull|quest|quell|l|d|m|t|s|c|n)'(?=[a-z])",
        lambda m: _IT_ELIDED[m.group(1)] + " ",
    ),
    (
        r"\b(?:circa |quasi |piu di |meno di )?((?:\w+ )?)(anni|anno|mesi|mese|settimane|settimana|giorni|"
        r"giorno|ore|ora|minuti|minuto) fa\b",
        r"\1\2 AGO",
    ),
    (r"\bquando ero (?:piccolo|piccola|bambino|bambina|giovane)\b", "WHEN I WAS A CHILD"),
    (r"\b(?:voglio|vorrei) morire\b", "I WANT TO DIE"),
    (r"\bnon voglio piu vivere\b|\bnon voglio vivere\b", "I DON'T WANT TO LIVE ANYMORE"),
    (r"\b(?:togliermi|tolgo) la vita\b", "TAKE MY LIFE"),
    (r"\bfarla finita\b", "END IT ALL"),
    (r"\bstarebbero meglio senza di me\b", "BETTER OFF WITHOUT ME"),
    (r"\bnon ce la faccio piu\b", "I CAN'T GO ON"),
    (r"\bnon (?:riesco|posso)(?: piu)?(?: a)?\b", "I CAN'T"),
    (
        r"\bnon (?:(?:si|mi|ti|ci|lo|la|gli|le) )?(?:riesce|puo|possono|riescono|riusciva|poteva)(?: piu)?(?: a)?\b",
        "CAN'T",
    ),
    (r"\bnon ho\b", "I DON'T HAVE"),
    (r"\bnon (?:(?:si|mi|ti|ci|lo|la|gli|le) )?(\w+) piu\b", r"NOT \1 ANYMORE"),
    (r"\bnon (?:si|mi|ti|ci|lo|la|gli|le) (\w+)\b", r"NOT \1"),
    (r"\bmal di testa\b", "HEADACHE"),
    (r"\bmal di (?:pancia|stomaco)\b", "STOMACH PAIN"),
    (r"\bdolore al petto\b|\bdolore toracico\b", "CHEST PAIN"),
    (r"\battacco di cuore\b", "HEART ATTACK"),
    (r"\bcolpo di calore\b", "HEAT STROKE"),
    (r"\bprimo soccorso\b|\bpronto soccorso\b", "FIRST AID"),
    (r"\bfiato corto\b|\bmanca il (?:fiato|respiro)\b", "SHORT OF BREATH"),
    (r"\bieri sera\b", "LAST NIGHT"),
    (r"\bl'anno scorso\b|\bla anno scorso\b", "LAST YEAR"),
    (r"\bdi colpo\b|\ball'improvviso\b|\balla improvviso\b|\ba un tratto\b", "SUDDENLY"),
    (r"\bproprio ora\b|\bin questo momento\b", "RIGHT NOW"),
    (r"\bun po'?(?=\s|$)", "A BIT"),
    (r"\b(?:che )?cos'e\b|\bche cosa e\b", "WHAT IS"),
    (r"\bcosa (?:devo|dovrei) fare\b", "WHAT SHOULD I DO"),
    (r"\bmi sono\b", "I HAVE"),
    (r"\bsi e\b", "HAS"),
)


# ---------------------------------------------------------------------------------------------------
_TABLES = {"es": _ES_WORDS, "fr": _FR_WORDS, "de": _DE_WORDS, "pt": _PT_WORDS, "it": _IT_WORDS}
# single words are looked up; a key with a space is a fixed phrase, rewritten after the rules
_WORDS = {lang: {k: v for k, v in table.items() if " " not in k} for lang, table in _TABLES.items()}
_PHRASES = {lang: {k: v for k, v in table.items() if " " in k} for lang, table in _TABLES.items()}
_PHRASE_RX = {
    lang: re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, phrases), key=len, reverse=True)) + r")\b")
    for lang, phrases in _PHRASES.items()
}
_RULES = {"es": _ES_RULES, "fr": _FR_RULES, "de": _DE_RULES, "pt": _PT_RULES, "it": _IT_RULES}
# gerund ending -> infinitive endings, to read a gerund not in the table off its infinitive
_GERUNDS = {
    "es": (("ando", ("ar",)), ("iendo", ("er", "ir")), ("yendo", ("er", "ir"))),
    "fr": (("ant", ("er", "ir", "re")),),
    "pt": (("ando", ("ar",)), ("endo", ("er",)), ("indo", ("ir",))),
    "it": (("ando", ("are",)), ("endo", ("ere", "ire"))),
    "de": (),
}
_DOUBLED = {"stop", "cut", "run", "swim", "sit", "get", "hit", "put", "drop", "shop", "plan", "grab"}
_TOKEN = re.compile(r"[a-z0-9][a-z0-9']*")


def _ing(verb: str) -> str:
    head, _, rest = verb.partition(" ")
    if head in _DOUBLED:
        head += head[-1]
    elif head.endswith("e") and not head.endswith(("ee", "ye")) and len(head) > 2:
        head = head[:-1]
    return f"{head}ing {rest}".strip()


def _word(token: str, lang: str) -> str:
    words = _WORDS[lang]
    if token in words:
        return words[token]
    for ending, infinitives in _GERUNDS[lang]:
        if token.endswith(ending) and len(token) > len(ending) + 2:
            stem = token[: -len(ending)]
            for infinitive in infinitives:
                if stem + infinitive in words:
                    return _ing(words[stem + infinitive])
    if lang == "de" and len(token) > 7:  # a compound of two known words, longest head first
        for cut in range(len(token) - 3, 2, -1):
            head, tail = token[:cut], token[cut:]
            head = head if head in words else head[:-1] if head.endswith("s") and head[:-1] in words else ""
            if head and tail in words and words[head] and words[tail]:
                return f"{words[head]} {words[tail]}"
    return token


def gloss(text: str, lang: str) -> str:
    """A word-by-word English gloss of normalised ``text`` in ``lang`` (one of ``GLOSSED``; else unchanged)."""
    if lang not in _WORDS:
        return text
    for pattern, replacement in _RULES[lang]:
        text = pattern.sub(replacement, text)
    phrases = _PHRASES[lang]
    text = _PHRASE_RX[lang].sub(lambda m: phrases[m.group(0)].upper(), text)
    text = _TOKEN.sub(lambda m: _word(m.group(0), lang), text)
    return re.sub(r" {2,}", " ", text).strip().lower()
