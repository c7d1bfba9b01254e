/**
 * The part of the incident catalogue a citizen may choose when reporting without calling 911
 * (web form, Open311 clients), described in plain language. Emergencies with a life at risk are not
 * offered: the citizen is told to call 911. `sensitive` reports never show their text, address or
 * coordinates on public feeds (Open311 GET requests): victims of family violence or extortion
 * could be identified.
 */
export interface CitizenType {
  code: string;
  nameEs: string;
  nameEn: string;
  descriptionEs: string;
  descriptionEn: string;
  sensitive: boolean;
}

export const CITIZEN_TYPES: CitizenType[] = [
  {
    code: 'PATRIMONIO.ROBO',
    nameEs: 'Me asaltaron o robaron con amenazas',
    nameEn: 'I was robbed with force or threats',
    descriptionEs: 'Robo con violencia, armas o intimidación.',
    descriptionEn: 'Robbery with violence, weapons or intimidation.',
    sensitive: false,
  },
  {
    code: 'PATRIMONIO.HURTO',
    nameEs: 'Me robaron sin que me diera cuenta',
    nameEn: 'Something was stolen from me',
    descriptionEs: 'Hurto: le quitaron algo sin violencia (cartera, celular, pertenencias).',
    descriptionEn: 'Theft without violence (wallet, phone, belongings).',
    sensitive: false,
  },
  {
    code: 'PATRIMONIO.ROBO_VEHICULO',
    nameEs: 'Robo de carro o moto',
    nameEn: 'Car or motorcycle theft',
    descriptionEs: 'Le robaron o hurtaron un vehículo. Indique la placa si la conoce.',
    descriptionEn: 'Your vehicle was stolen. Give the plate number if you know it.',
    sensitive: false,
  },
  {
    code: 'PATRIMONIO.DANOS',
    nameEs: 'Daños o vandalismo',
    nameEn: 'Damage or vandalism',
    descriptionEs: 'Destrucción de bienes, pintas o daños a la propiedad.',
    descriptionEn: 'Destroyed property, graffiti or damage.',
    sensitive: false,
  },
  {
    code: 'EXTORSION.DENUNCIA',
    nameEs: 'Extorsión o cobro de renta',
    nameEn: 'Extortion',
    descriptionEs: 'Le exigen dinero con amenazas, por teléfono o en persona.',
    descriptionEn: 'Someone demands money with threats, by phone or in person.',
    sensitive: true,
  },
  {
    code: 'VIDA.AMENAZAS',
    nameEs: 'Amenazas',
    nameEn: 'Threats',
    descriptionEs: 'Alguien le amenaza a usted o a su familia.',
    descriptionEn: 'Someone threatens you or your family.',
    sensitive: true,
  },
  {
    code: 'VIF.INTRAFAMILIAR',
    nameEs: 'Violencia en el hogar',
    nameEn: 'Violence at home',
    descriptionEs: 'Agresiones entre familiares o en la pareja.',
    descriptionEn: 'Violence between family members or partners.',
    sensitive: true,
  },
  {
    code: 'VIF.LEIV',
    nameEs: 'Violencia contra una mujer',
    nameEn: 'Violence against a woman',
    descriptionEs: 'Acoso, agresión o amenazas contra una mujer.',
    descriptionEn: 'Harassment, assault or threats against a woman.',
    sensitive: true,
  },
  {
    code: 'VIF.MALTRATO_INFANTIL',
    nameEs: 'Maltrato a una niña, niño o adolescente',
    nameEn: 'Child abuse',
    descriptionEs: 'Golpes, abandono o maltrato de menores de edad.',
    descriptionEn: 'A child is being beaten, neglected or abused.',
    sensitive: true,
  },
  {
    code: 'DESAPARECIDOS.PERSONA',
    nameEs: 'Persona desaparecida',
    nameEn: 'Missing person',
    descriptionEs: 'No sabe dónde está un familiar o conocido. Describa cómo iba vestido.',
    descriptionEn: 'You do not know where a relative or friend is. Describe their clothes.',
    sensitive: true,
  },
  {
    code: 'ORDEN.SOSPECHOSO',
    nameEs: 'Persona o vehículo sospechoso',
    nameEn: 'Suspicious person or vehicle',
    descriptionEs: 'Alguien merodea o un vehículo se comporta de forma extraña.',
    descriptionEn: 'Someone is loitering or a vehicle behaves strangely.',
    sensitive: false,
  },
  {
    code: 'ORDEN.ESCANDALO',
    nameEs: 'Ruido o escándalo en la calle',
    nameEn: 'Noise or disturbance in the street',
    descriptionEs: 'Música muy alta, gritos o escándalo en la vía pública.',
    descriptionEn: 'Loud music, shouting or disturbance in a public place.',
    sensitive: false,
  },
  {
    code: 'TRANSITO.EBRIEDAD',
    nameEs: 'Conductor borracho',
    nameEn: 'Drunk driver',
    descriptionEs: 'Un conductor maneja bajo efectos del alcohol. Indique la placa si la ve.',
    descriptionEn: 'Someone is driving drunk. Give the plate number if you see it.',
    sensitive: false,
  },
  {
    code: 'TRANSITO.ACCIDENTE',
    nameEs: 'Choque sin personas heridas',
    nameEn: 'Traffic collision without injuries',
    descriptionEs: 'Accidente de tránsito en el que nadie resultó herido.',
    descriptionEn: 'A traffic collision in which nobody was hurt.',
    sensitive: false,
  },
  {
    code: 'TRANSITO.OBSTRUCCION',
    nameEs: 'Calle bloqueada',
    nameEn: 'Blocked road',
    descriptionEs: 'Árbol caído, derrumbe u objeto que bloquea la vía.',
    descriptionEn: 'A fallen tree, landslide or object blocks the road.',
    sensitive: false,
  },
];

const byCode = new Map(CITIZEN_TYPES.map((t) => [t.code, t]));

export function citizenType(code: string): CitizenType | undefined {
  return byCode.get(code);
}
